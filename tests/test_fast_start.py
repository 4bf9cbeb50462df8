"""What makes a cold start fast: MiniLM through ONNX Runtime, and the intent classifier read back as arrays.
Both must give what the slow path gives (sentence-transformers on torch; scikit-learn), to rounding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.answers import intents
from retrieval.answers.intent_model import LinearIntentModel
from retrieval.answers.intents import IntentClassifier, load_examples
from retrieval.index.embeddings import MiniLMEmbeddings, TorchEncoder
from retrieval.index.onnx_encoder import OnnxEncoder
from tests.conftest import SEED_PROFILE

EDGE_QUESTIONS = ["", "a", "What's   new?? in RL-ish à la carte", "RT-2 vs RT-1 — which one generalises?", "GPT" * 300]


def abstracts() -> list[str]:
    text = SEED_PROFILE.read_text(encoding="utf-8")
    paragraphs = [part.strip() for part in text.split("\n\n") if len(part.strip()) > 200]
    return paragraphs[:24]


@pytest.fixture(scope="module")
def torch_encoder() -> TorchEncoder:
    return TorchEncoder()


def test_onnx_vectors_equal_the_torch_models(embeddings: MiniLMEmbeddings, torch_encoder: TorchEncoder) -> None:
    texts = [*abstracts(), *EDGE_QUESTIONS[1:], "robots that follow language instructions"]
    onnx = OnnxEncoder()
    assert max(torch_encoder.count_tokens(text) for text in texts) > torch_encoder.max_tokens  # some get truncated
    ours, reference = onnx.encode(texts, batch_size=8), torch_encoder.encode(texts, batch_size=8)
    assert ours.shape == reference.shape == (len(texts), 384)
    assert np.abs(ours - reference).max() < 1e-5  # padding, truncation, pooling and normalisation all match
    assert onnx.max_tokens == torch_encoder.max_tokens == 256
    assert [onnx.count_tokens(text) for text in texts] == [torch_encoder.count_tokens(text) for text in texts]


def test_a_store_embedded_with_one_backend_is_searched_with_the_other(
    embeddings: MiniLMEmbeddings, torch_encoder: TorchEncoder
) -> None:
    query = "How did they get a robot to use web knowledge?"
    onnx_vector = np.asarray(MiniLMEmbeddings(backend="onnx").embed_query(query))
    torch_vector = torch_encoder.encode([query])[0]
    assert float(onnx_vector @ torch_vector) > 0.99999


def fitted(embeddings: MiniLMEmbeddings) -> tuple[IntentClassifier, tuple[object, object, object]]:
    classifier = IntentClassifier(embeddings)
    return classifier, classifier.fit_sklearn()


def test_the_array_model_scores_exactly_as_scikit_learn(embeddings: MiniLMEmbeddings) -> None:
    classifier, (word, chars, model) = fitted(embeddings)
    linear = LinearIntentModel.from_sklearn(word, chars, model)
    questions = [question for question, _ in load_examples()] + EDGE_QUESTIONS
    vectors = np.asarray(embeddings.embed_documents(questions))
    expected = model.predict_proba(classifier._features(word, chars, questions, vectors))  # type: ignore[attr-defined]
    rows = [linear.probabilities(q, v) for q, v in zip(questions, vectors, strict=True)]
    ours = np.asarray([[row[label] for label in linear.labels] for row in rows])
    assert list(linear.labels) == [str(label) for label in model.classes_]  # type: ignore[attr-defined]
    assert np.abs(ours - expected).max() < 1e-9


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user cache folder of its own, and nothing fitted in memory: as a new install's first process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(intents, "_FITTED", {})
    return tmp_path


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intents, "_FITTED", {})  # nothing fitted in memory; the cache folder stays


def test_the_fitted_model_is_saved_once_and_read_back(
    embeddings: MiniLMEmbeddings, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = load_examples()[:200]
    first = IntentClassifier(embeddings, examples).scores("what are his newest papers?")
    assert len(list(empty_cache.rglob("intent-model-*.npz"))) == 1

    new_process(monkeypatch)
    reader = IntentClassifier(embeddings, examples)
    monkeypatch.setattr(reader, "fit_sklearn", lambda: pytest.fail("refitted although the model was cached"))
    assert reader.scores("what are his newest papers?") == pytest.approx(first, abs=1e-12)
    assert not list(empty_cache.rglob("*.tmp"))  # no temporary file left behind


def test_a_damaged_cache_file_is_refitted(
    embeddings: MiniLMEmbeddings, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = load_examples()[:120]
    expected = IntentClassifier(embeddings, examples).scores("compare RT-1 and RT-2")
    (saved,) = empty_cache.rglob("intent-model-*.npz")
    saved.write_bytes(saved.read_bytes()[:100])  # truncated, as by a full disk
    new_process(monkeypatch)
    assert IntentClassifier(embeddings, examples).scores("compare RT-1 and RT-2") == pytest.approx(expected, abs=1e-12)
