import json
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from isoguide.abstain import (
    FEATURES,
    AbstainEnsemble,
    AbstainModel,
    fitted_model,
    neighbour_features,
)


def _unit(v: list[float]) -> np.ndarray:
    a = np.zeros(384, dtype=np.float32)
    a[: len(v)] = v
    return a / np.linalg.norm(a)


def test_neighbour_features_compare_the_nearest_of_each_kind_and_can_leave_one_out() -> None:
    near = np.stack([_unit([1, 0]), _unit([0.9, 0.1]), _unit([0, 1])])
    labels = np.array([1, 1, 0], dtype=np.int8)
    out, inside, diff = neighbour_features(_unit([1, 0]), near, labels, k=1)
    assert out > 0.99 and inside < 0.01 and diff == out - inside
    # leaving the identical question out, the next out-of-scope neighbour is the nearest
    out_skip, _, _ = neighbour_features(_unit([1, 0]), near, labels, k=1, skip=0)
    assert 0.9 < out_skip < out


def _neighbour_model(weight: float = 4.0) -> AbstainModel:
    near = np.stack([_unit([1, 0]), _unit([0, 1])])
    n_inputs = len(FEATURES) + 3
    return AbstainModel(
        np.zeros(n_inputs, np.float32),
        np.ones(n_inputs, np.float32),
        np.r_[np.zeros(len(FEATURES)), [0.0, 0.0, weight]].astype(np.float32),
        0.0,
        0.5,
        np.zeros((0, 384), np.float32),
        np.zeros(384, np.float32),
        near,
        np.array([1, 0], dtype=np.int8),
        1,
    )


def test_a_model_with_neighbours_survives_its_json_round_trip() -> None:
    model = _neighbour_model()
    again = AbstainModel.from_json(model.to_json())
    named = np.zeros(len(FEATURES), np.float32)
    for vector in (_unit([1, 0.05]), _unit([0.05, 1])):
        row = np.concatenate([named, vector])
        assert abs(again.probability(row) - model.probability(row)) < 1e-3
    assert model.probability(np.concatenate([named, _unit([1, 0.05])])) > 0.9  # near "out"
    assert model.probability(np.concatenate([named, _unit([0.05, 1])])) < 0.1  # near "in"


def test_an_ensemble_averages_its_members_and_reads_an_old_single_model_file() -> None:
    strong, weak = _neighbour_model(4.0), _neighbour_model(1.0)
    ensemble = AbstainEnsemble((strong, weak), 0.6)
    row = np.concatenate([np.zeros(len(FEATURES), np.float32), _unit([1, 0.05])])
    mean = (strong.probability(row) + weak.probability(row)) / 2
    assert abs(ensemble.probability(row) - mean) < 1e-6
    assert strong.probability(row) > ensemble.probability(row) > weak.probability(row)
    again = AbstainEnsemble.from_json(ensemble.to_json())
    assert again.threshold == 0.6 and abs(again.probability(row) - mean) < 1e-3
    single = AbstainEnsemble.from_json(strong.to_json())  # a file from before the ensemble
    assert len(single.members) == 1 and single.threshold == strong.threshold


def test_the_shipped_model_reads_its_own_inputs() -> None:
    model = fitted_model()
    assert model is not None
    row = np.concatenate([np.zeros(len(FEATURES), np.float32), _unit([1, 0])])
    assert model.members
    for member in model.members:
        assert len(member.inputs(row)) == len(member.coef)
    assert 0.0 <= model.probability(row) <= 1.0


def test_a_model_fitted_on_other_features_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import isoguide.abstain as abstain

    data = json.loads((resources.files("isoguide") / "fitted" / "abstain.json").read_text())
    for member in data["members"]:
        member["features"] = [f for f in member["features"] if f != "unknown_names"]
    (tmp_path / "fitted").mkdir()
    (tmp_path / "fitted" / "abstain.json").write_text(json.dumps(data))
    # only abstain.py's view of the package files changes, not importlib.resources itself
    monkeypatch.setattr(abstain, "resources", SimpleNamespace(files=lambda _: tmp_path))
    abstain.fitted_model.cache_clear()
    try:
        with pytest.warns(UserWarning, match="fitted on other features"):
            assert abstain.fitted_model() is None
    finally:
        monkeypatch.undo()
        abstain.fitted_model.cache_clear()
    assert abstain.fitted_model() is not None
