"""Precision of KRS103's unknown-receiver route ("medium" confidence), per name, on public code.

Not a test, and the repositories are never committed. Put each repository of ``REPOSITORIES``,
at the listed commit, in ``DIR/<owner>+<name>/`` (``git clone`` + ``git checkout COMMIT``, or
``git archive COMMIT``), then:

    python scripts/measure_receivers.py DIR                 # the precision table
    python scripts/measure_receivers.py DIR --list NAME     # findings of one name, to review
    python scripts/measure_receivers.py DIR --unreviewed    # findings without a verdict

The route is widened to every candidate name (``CANDIDATES``: the names of the generated
table's ``methods`` that no Keras 3 model, layer, metric, optimizer, loss or callback has;
``--check-candidates`` recomputes them where keras 3 is installed). Each finding is looked up
in ``scripts/data/receivers_review.json`` (``"repo:path:row:name": ["true"|"false", why]``):
true when the receiver really is a Keras object on which Keras 3 lacks the name, false
otherwise. Names with more than ``SAMPLE`` findings are judged on a seeded random sample.
A name is on by default (``MEDIUM_NAMES`` in keras3_lint/rules/krs103_removed_method.py) when
its precision is >= 95 % on at least 10 reviewed findings; a name with fewer findings is judged
by the pooled figure of its family (``FAMILIES``: names of one Keras 2 API that no other library
in the corpus defines), or stays off. The script exits 1 when MEDIUM_NAMES and the figures
disagree.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

REVIEW = os.path.join(HERE, "data", "receivers_review.json")
SAMPLE = 100
MIN_REVIEWED = 10
THRESHOLD = 0.95

# Public Keras 2 code (training scripts, custom-layer libraries, course notebooks): repository,
# commit measured.
REPOSITORIES = (
    ("CyberZHG/keras-bert", "2d3590dac33b4f097aefbff3d42b630626fd157d"),
    ("CyberZHG/keras-self-attention", "f3bf21dbb1f3251b5417a8bb254dd91807b1aec5"),
    ("DJSull93/keras_new", "8847c0336bb2b6cdd7a1c03eced2c7548e8993fd"),
    ("GoogleCloudPlatform/keras-idiomatic-programmer", "760e4a86892c5684907dc66aa96ebc3b0897f608"),
    ("Hironsan/anago", "0ffb4004427c0991b6d023bfa62b37795f608a3d"),
    ("Hvass-Labs/TensorFlow-Tutorials", "d5f33973570fe6ef9c78c8a38c7449a932c81010"),
    ("JS0909/Keras-ML", "11ee95e8e7a7cb3d2e1486438bc981518847a256"),
    ("OlafenwaMoses/ImageAI", "2156d1a39a196c72057771d1d16226388c1d7baf"),
    ("PacktPublishing/Advanced-Deep-Learning-with-Keras", "b065726ee733d32c6bd618fc7643c9fc51767c75"),
    ("PacktPublishing/Deep-Learning-with-TensorFlow-2-and-Keras", "e23d2b4a4292386b70977473805acb2f93ef16ca"),
    ("SEONGMIN-96/KERAS_STUDY", "8400df71ffe662cf4509c5c27963b44f602a34d1"),
    ("Socret360/object-detection-in-keras", "0b582a46f41623a1e1166c1e2b050f55788c3003"),
    ("X-rayLaser/keras-auto-hwr", "67cfc0209045b1e211f0491b0199cb9d6811bfd0"),
    ("YunYang1994/TensorFlow2.0-Examples", "299fd6689f242d0f647a96b8844e86325e9fcb46"),
    ("ageron/handson-ml", "b7051594afbb1d835f5e031af8664c4363878050"),
    ("ageron/handson-ml2", "1e2115277b50f6c584cd668fa30e3af309a5b136"),
    ("bojone/bert4keras", "c1ae0dc5eff66d329ab3c5c7ee369124ddbb6f87"),
    ("broadinstitute/keras-rcnn", "38be145284ddb5c5229d57267b39b99afbb47f67"),
    ("chen0040/keras-text-summarization", "11df7c7bf30de8ccd8aecef5a551c136c85f0092"),
    ("david8862/keras-YOLOv3-model-set", "96b59be4bbb3ef5272ef4ff1e9d4efd15fc87e50"),
    ("davidADSP/GDL_code", "2a7b8c92ea07ddd796d7a895b171dbc5fcc2c7cd"),
    ("divamgupta/image-segmentation-keras", "1b2ba53ae49387c2d1abbd9a2f4a9a45eea6912f"),
    ("dragen1860/TensorFlow-2.x-Tutorials", "9861a308283d17693d497fdfaab20b92c0b26d08"),
    ("experiencor/keras-yolo3", "768c524f277adbfd26c2f44d73cb1826bbaf2d10"),
    ("fchollet/deep-learning-with-python-notebooks", "dea84a4e12cc3bb3cb61ce952a0168bca113d315"),
    ("few-shot-learning/Keras-FewShotLearning", "0f176f86404e2d3f7b7d43b3efd2a4b7287e7608"),
    ("fizyr/keras-retinanet", "7ac91dfbbacce77d6d9633fc09e16cd0ee71fd5e"),
    ("garethjns/reinforcement-learning-keras", "8fd4b334400ff6061d9c67c6df441cf0812c9748"),
    ("germain-hug/Deep-RL-Keras", "a50cc30bea78315750c7c41f691d4eba80c7a888"),
    ("hezhenjun123/keras_algoritm_factory", "9f10db6d88228476f6ee3753117f20a5110e6c8a"),
    ("hfawaz/dl-4-tsc", "e0233efd886df8c6ca18e6f1b545d15aaf423627"),
    ("jeffheaton/t81_558_deep_learning", "e674d07b85289b0cfb4cc57ff213228fd2ae4dc4"),
    ("keon/deep-q-learning", "7856f2f003455c6c4935c902d722fe435bded863"),
    ("keras-rl/keras-rl", "216c3145f3dc4d17877be26ca2185ce7db462bad"),
    ("keras-team/keras-contrib", "3fc5ef709e061416f4bc8a92ca3750c824b5d2b0"),
    ("philipperemy/keras-tcn", "7576256b8b2a138b88ae2483b8616681686e424f"),
    ("pierluigiferrari/ssd_keras", "3ac9adaf3889f1020d74b0eeefea281d5e82f353"),
    ("qqwweee/keras-yolo3", "e6598d13c703029b2686bc2eb8d5c09badf42992"),
    ("raghakot/keras-vis", "90ae5565951b5e6a90d706b8205c2c4dfc271505"),
    ("rasbt/python-machine-learning-book-3rd-edition", "bf62496f44a92a21d23250d5ed13d2d2e617e0e2"),
    ("rlcode/reinforcement-learning", "3d421f6e4d11c6f170c67a3b449f15d0a940fe1a"),
    ("tensorflow/examples", "608f7db8c511e3dcc420afc564496e4516ceb800"),
    ("titu1994/keras-squeeze-excite-network", "fc5345bc3bf07087b85bd5c37fe832eb29605905"),
    ("variablejun/keras4", "0eb29fa32ebf88ed410fced8a8acaf37be50360f"),
    ("yu4u/age-gender-estimation", "6af6148f6eb09bf16e7164490730c71c61c89f3e"),
    ("Gordey007/MADE", "db4d2a1e1f26970c7267f2ee368e22cafae9e178"),
    ("Gwill/cfmmc-captcha-breaker", "d002d246fb76ff5dddcd2b9edd8bd6d25c9848be"),
    ("Julian-Theis/PyDREAM", "e622802efb5e70d2d115fdd9174a3259c71af3e2"),
    ("akapust1n/Recognizing-text-regions", "19ce7d41e6de0e5550da71bd0fcbaaed3a81a0a5"),
    ("apoorv98/deep_learning_with_python", "878f8fba2a062591a7f67f4145b0693812317ae1"),
    ("chengzhang/tf_cheet_sheet", "f0e390c0fab04761a62c215698c3df7ad41b6b6b"),
    ("melisaaltinyelek/IANNwTF_Project", "e7fc770ca69b4ad1da1018630c883c220abe707c"),
    ("mocca006/python3-20251218", "9e628bba3f275450ae0bef32012f75f54fcf76d8"),
    ("praveen049/TensorFlow-Usecases", "ef05f5fbfa1efe1b5e5d71fddd7ba197b92f74e5"),
    ("robinvvinod/unet", "ce70fa9d4b0fd5c017e32278217ed84b1228fb56"),
    ("satorioh/tedu-ml", "bbadc2955094bb9a12d6b9f809fbafad0d69407e"),
    ("wjayesh/cg_demo", "838a4c86838229be4131f5a1352f4ddfe27027ba"),
    ("fastai/courses", "31760fc1909c7ef61d81be5a147b19237fd45eaf"),
    ("bnsreenu/python_for_microscopists", "e345e4983fe85d6add34cd696f859d6c6598b9c3"),
    ("MorvanZhou/tutorials", "c36c8995951bc09890efd329635c2b74bd532610"),
    ("PacktPublishing/Deep-Learning-with-Keras", "157230ac35c19e97229607362a1dddf90ff3138f"),
    ("hunkim/DeepLearningZeroToAll", "60c707e02af7bd950401faeadcc6c0e1b39b2978"),
    ("udacity/aind2-cnn", "4f64fa0a9c4de94a92308ac15fc3fc0335d13b4d"),
    ("the-deep-learners/TensorFlow-LiveLessons", "ddfc9847a7e18550438069d0f1c1cadec4c287fb"),
    ("jonkrohn/DLTFpT", "35438188d169ed692874a4e9e501ece68f4c51df"),
    ("Vict0rSch/deep_learning", "d85a40b3914d0849496a8a4884c48d3d98ca3b0f"),
    ("rasbt/deep-learning-book", "d1c240cc2828db8f1539e308f04458bcf4f5c379"),
)

# Names of api_table.json `methods` that no Keras 3.15.1 compiled Sequential, functional Model, Dense, LSTM, GRU,
# Bidirectional, ConvLSTM2D, Mean, SGD, Adam, MeanSquaredError or Callback has (--check-candidates),
# plus `reset_states`, which Keras 3 keeps only on recurrent layers.
CANDIDATES = frozenset(
    {
        "add_slot", "add_update", "aggregate_gradients", "autotune_steps_per_execution",
        "compute_gradients", "compute_output_signature", "constraints", "dynamic",
        "evaluate_generator", "finalize_state", "fit_generator", "get_dropout_mask_for_cell",
        "get_gradients", "get_input_at", "get_input_mask_at", "get_input_shape_at", "get_output_at",
        "get_output_mask_at", "get_output_shape_at", "get_recurrent_dropout_mask_for_cell",
        "get_slot", "get_slot_names", "get_updates", "get_weight_paths", "implementation",
        "inbound_nodes", "input_mask", "lr", "merge_state", "minimize", "name_scope",
        "outbound_nodes", "output_mask", "predict_classes", "predict_generator", "predict_proba",
        "reset_dropout_mask", "reset_recurrent_dropout_mask", "save_spec", "state_updates",
        "submodules", "to_yaml", "updates", "with_name_scope", "reset_states",
    }
)


# Names of one Keras 2 API judged together when each alone has too few findings: the Keras 2
# `Model` methods for generators and class predictions, replaced by `fit`/`evaluate`/`predict`.
FAMILIES = {
    "Model generator API": frozenset({"fit_generator", "evaluate_generator", "predict_generator", "predict_classes"}),
}


def check_candidates() -> None:
    """Recompute CANDIDATES from the table and the installed keras 3 (run in .venv-evidence)."""
    import warnings

    import keras
    import numpy as np

    from keras3_lint.rules._api_table import table

    warnings.simplefilter("ignore")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((2, 3)), np.zeros((2, 1)), verbose=0)
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    objects = [
        model, functional, keras.layers.Dense(2), keras.layers.LSTM(2), keras.layers.GRU(2),
        keras.layers.Bidirectional(keras.layers.LSTM(2)), keras.layers.ConvLSTM2D(2, 3, recurrent_activation="sigmoid"),
        keras.metrics.Mean(), keras.optimizers.SGD(), keras.optimizers.Adam(),
        keras.losses.MeanSquaredError(), keras.callbacks.Callback(),
    ]
    names = {key.split(".", 1)[1] for key in table()["methods"]}
    dead = {name for name in names if not any(hasattr(obj, name) for obj in objects)}
    expected = set(CANDIDATES) - {"reset_states"}
    print("computed:", sorted(dead))
    print("matches CANDIDATES" if dead == expected else f"differs: +{sorted(dead - expected)} -{sorted(expected - dead)}")


def source_files(folder: str) -> List[str]:
    out = []
    for directory, dirnames, names in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith((".py", ".ipynb")))
    return out


def findings(root: str) -> Tuple[List[dict], int]:
    """Every medium KRS103 finding of the widened route in the repositories under root."""
    from keras3_lint.config import Settings
    from keras3_lint.rules.krs103_removed_method import RemovedMethod
    from keras3_lint.runner import RunOptions, check_file

    RemovedMethod.medium_names = CANDIDATES
    options = RunOptions(enabled=frozenset({"KRS103"}))
    out, files = [], 0
    for repo, _commit in REPOSITORIES:
        folder = os.path.join(root, repo.replace("/", "+"))
        if not os.path.isdir(folder):
            print(f"missing: {folder}", file=sys.stderr)
            continue
        settings = Settings(root=folder)
        for path in source_files(folder):
            files += 1
            try:
                result = check_file(path, settings, options)
            except Exception as exc:  # noqa: BLE001 - a broken file must not stop the count
                print(f"error: {path}: {exc}", file=sys.stderr)
                continue
            for diag in result.diagnostics:
                if diag.code != "KRS103" or diag.confidence != "medium":
                    continue
                name = diag.message.split("`", 2)[1].split(".", 1)[1]
                rel = os.path.relpath(path, folder)
                where = f"{rel}:{'cell %d:' % diag.cell if diag.cell else ''}{diag.row}"
                out.append({"repo": repo, "where": where, "name": name, "path": path, "row": diag.row, "cell": diag.cell})
    return out, files


def load_review() -> Dict[str, list]:
    if not os.path.exists(REVIEW):
        return {}
    with open(REVIEW, encoding="utf-8") as handle:
        return json.load(handle)


def key_of(finding: dict) -> str:
    return f"{finding['repo']}:{finding['where']}:{finding['name']}"


def sampled(found: List[dict]) -> Dict[str, List[dict]]:
    by_name: Dict[str, List[dict]] = collections.defaultdict(list)
    for finding in found:
        by_name[finding["name"]].append(finding)
    for name, items in by_name.items():
        if len(items) > SAMPLE:
            by_name[name] = random.Random(name).sample(items, SAMPLE)
    return by_name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", help="folder holding <owner>+<name>/ of each repository")
    parser.add_argument("--list", metavar="NAME", help="print the findings of NAME with their line")
    parser.add_argument("--unreviewed", action="store_true", help="print the sampled findings without a verdict")
    parser.add_argument("--check-candidates", action="store_true", help="recompute CANDIDATES (needs keras 3)")
    args = parser.parse_args()
    if args.check_candidates:
        check_candidates()
        return 0
    if not args.root:
        parser.error("give the folder of the repositories")
    found, files = findings(args.root)
    review = load_review()
    by_name = sampled(found)
    if args.list or args.unreviewed:
        for name in sorted(by_name):
            if args.list and name != args.list:
                continue
            for finding in by_name[name]:
                verdict = review.get(key_of(finding))
                if args.unreviewed and verdict is not None:
                    continue
                print(key_of(finding), "->", verdict)
        return 0
    from keras3_lint.rules.krs103_removed_method import MEDIUM_NAMES

    total = collections.Counter(f["name"] for f in found)
    figures = {}
    for name in total:
        verdicts = [v for v in (review.get(key_of(f)) for f in by_name[name]) if v is not None]
        figures[name] = (len(verdicts), sum(1 for v in verdicts if v[0] == "true"), [v[1] for v in verdicts if v[0] == "false"])
        if len(verdicts) < len(by_name[name]):
            print(f"{name}: {len(by_name[name]) - len(verdicts)} sampled findings not reviewed yet")

    def decide(name: str) -> Tuple[bool, str]:
        reviewed, true, _ = figures.get(name, (0, 0, []))
        if reviewed >= MIN_REVIEWED:
            return true / reviewed >= THRESHOLD, "own figures"
        for family, names in FAMILIES.items():
            if name in names:
                pooled = [figures.get(n, (0, 0, [])) for n in names]
                reviewed, true = sum(p[0] for p in pooled), sum(p[1] for p in pooled)
                ok = reviewed >= MIN_REVIEWED and true / reviewed >= THRESHOLD
                return ok, f"family {family!r}: {true}/{reviewed}"
        if reviewed and true / reviewed < THRESHOLD:
            return False, f"precision < {THRESHOLD:.0%}"
        return False, f"fewer than {MIN_REVIEWED} reviewed"

    print(f"{len(REPOSITORIES)} repositories, {files} files (.py and .ipynb), {len(found)} medium findings")
    print(f"{'name':<20}{'found':>6}{'reviewed':>9}{'true':>6}{'false':>6}{'precision':>10}  {'on':<4}{'why':<38}false-positive examples")
    status = 0
    for name in sorted(set(total) | set(MEDIUM_NAMES)):
        reviewed, true, false = figures.get(name, (0, 0, []))
        precision = f"{true / reviewed:.1%}" if reviewed else "-"
        keep, why = decide(name)
        on = name in MEDIUM_NAMES
        if on != keep:
            status = 1
            why += " (MEDIUM_NAMES disagrees)"
        examples = "; ".join(sorted(set(false))[:2])
        print(f"{name:<20}{total[name]:>6}{reviewed:>9}{true:>6}{len(false):>6}{precision:>10}  {'on' if on else '-':<4}{why:<38}{examples}")
    return status


if __name__ == "__main__":
    sys.exit(main())
