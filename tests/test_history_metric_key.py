"""KRS731: history keys Keras 3 does not log, in notebooks (history from an earlier cell) and in
the shapes seen in book-era code; the look-alikes stay silent."""

from __future__ import annotations

import textwrap

from keras3_lint.config import Settings
from keras3_lint.fixer import fix_text
from keras3_lint.notebook import fix_notebook_text, lint_notebook_text, read_notebook
from keras3_lint.runner import check_text

from test_notebooks import notebook

CODE = frozenset({"KRS731"})
HEAD = "from keras import models, layers\nimport numpy as np\nx = y = np.zeros((4, 3))\n"
SEQ = "model = models.Sequential([layers.Dense(1, input_shape=(3,))])\n"


def found(source: str):
    return [(d.row, d.column, d.message) for d in check_text(textwrap.dedent(source), Settings(), CODE, "x.py")]


def fixed(source: str, unsafe: bool = False) -> str:
    source = textwrap.dedent(source)
    return fix_text(source, lambda text: check_text(text, Settings(), CODE, "x.py"), unsafe_fixes=unsafe).text


def test_notebook_history_from_an_earlier_cell_is_flagged_and_fixed():
    cells = [
        [HEAD, SEQ, "model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])\n"],
        ["history = model.fit(x, y, epochs=20, validation_data=(x, y))\n"],
        ["history_dict = history.history\n", "history_dict.keys()\n"],
        ["acc = history.history['acc']\n", "val_acc = history_dict['val_acc']\n"],
    ]
    text = notebook(*cells)
    findings = lint_notebook_text(text, Settings(), CODE, "nb.ipynb")
    assert [(d.cell, d.row, d.column) for d in findings] == [(5, 1, 23), (5, 2, 24)]
    assert findings[0].message.startswith("`KeyError: 'acc'` on Keras 3")
    outcome = fix_notebook_text(text, Settings(), CODE, unsafe_fixes=False, path="nb.ipynb")
    last = read_notebook(outcome.text).cells[-1].text
    assert last == "acc = history.history['accuracy']\nval_acc = history_dict['val_accuracy']\n"


def test_model_built_by_a_function_compiled_inside_it():
    source = HEAD + textwrap.dedent(
        """\
        def build_model():
            model = models.Sequential([layers.Dense(1, input_shape=(3,))])
            model.compile(optimizer='rmsprop', loss='mse', metrics=['mae'])
            return model

        for i in range(3):
            model = build_model()
            history = model.fit(x, y, validation_data=(x, y), epochs=5, verbose=0)
            mae_history = history.history['val_mean_absolute_error']
            train_mae = history.history["mean_absolute_error"]
        """
    )
    assert [row for row, _, _ in found(source)] == [12, 13]
    out = fixed(source)
    assert "history.history['val_mae']" in out and 'history.history["mae"]' in out


def test_recompiled_after_the_function_the_last_compile_wins():
    source = HEAD + textwrap.dedent(
        """\
        def build_model():
            model = models.Sequential([layers.Dense(1, input_shape=(3,))])
            model.compile(optimizer='rmsprop', loss='mse', metrics=['mae'])
            return model

        model = build_model()
        model.compile(optimizer='rmsprop', loss='mse', metrics=['mean_absolute_error'])
        history = model.fit(x, y)
        mae = history.history['mean_absolute_error']
        """
    )
    assert found(source) == []


def test_compile_after_the_fit_does_not_count():
    source = HEAD + SEQ + textwrap.dedent(
        """\
        model.compile(optimizer='sgd', loss='mse', metrics=['acc'])
        history = model.fit(x, y)
        model.compile(optimizer='sgd', loss='mse', metrics=['accuracy'])
        acc = history.history['acc']
        """
    )
    assert found(source) == []


def test_functional_single_output_and_tf_keras_spelling():
    source = textwrap.dedent(
        """\
        import tensorflow as tf
        inputs = tf.keras.Input((3,))
        outputs = tf.keras.layers.Dense(1, activation='sigmoid')(inputs)
        model = tf.keras.Model(inputs, outputs)
        model.compile('adam', 'binary_crossentropy', metrics=['acc', 'mse'])
        h = model.fit(x, y, validation_split=0.2)
        print(h.history['val_acc'], h.history['mean_squared_error'])
        """
    )
    assert [(row, column) for row, column, _ in found(source)] == [(7, 39)]
    assert "read 'mse'" in found(source)[0][2]


def test_functional_multi_output_is_silent():
    source = textwrap.dedent(
        """\
        import tensorflow as tf
        inputs = tf.keras.Input((3,))
        model = tf.keras.Model(inputs, [tf.keras.layers.Dense(1)(inputs), tf.keras.layers.Dense(1)(inputs)])
        model.compile('adam', 'mse', metrics=['mae'])
        h = model.fit(x, [y, y])
        print(h.history['mean_absolute_error'])
        """
    )
    assert found(source) == []


def test_subclassed_model_and_positional_metrics_are_silent():
    source = HEAD + textwrap.dedent(
        """\
        class Net(models.Model):
            def train_step(self, data):
                return {"acc": 1.0}

        net = Net()
        net.compile(optimizer='sgd', loss='mse', metrics=['accuracy'])
        print(net.fit(x, y).history['acc'])
        """
    ) + SEQ + "model.compile('sgd', 'mse', ['accuracy'])\nprint(model.fit(x, y).history['acc'])\n"
    assert found(source) == []


def test_auto_named_accuracy_object_is_reported_without_a_fix():
    source = HEAD + SEQ + textwrap.dedent(
        """\
        from keras import metrics
        model.compile(optimizer='sgd', loss='binary_crossentropy', metrics=[metrics.BinaryAccuracy()])
        history = model.fit(x, y)
        acc = history.history['acc']
        named = models.Sequential([layers.Dense(1)])
        named.compile(optimizer='sgd', loss='binary_crossentropy', metrics=[metrics.BinaryAccuracy(name='acc')])
        acc2 = named.fit(x, y).history['acc']
        """
    )
    findings = found(source)
    assert [row for row, _, _ in findings] == [8]
    assert "auto-name" in findings[0][2]
    assert fixed(source, unsafe=True) == textwrap.dedent(source)


def test_learning_rate_key_fix_is_unsafe_only():
    source = HEAD + SEQ + textwrap.dedent(
        """\
        from keras.callbacks import LearningRateScheduler
        model.compile(optimizer='sgd', loss='mse')
        schedule = LearningRateScheduler(lambda epoch, lr: lr)
        history = model.fit(x, y, callbacks=[schedule])
        lr = history.history['lr']
        """
    )
    assert fixed(source) == textwrap.dedent(source)
    assert "history.history['learning_rate']" in fixed(source, unsafe=True)


# -- `monitor=` of EarlyStopping / ModelCheckpoint / ReduceLROnPlateau -------------------------

CALLBACKS = "from keras.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau\n"


def test_notebook_callback_from_an_earlier_cell_is_fixed_where_it_is_built():
    cells = [
        [HEAD, CALLBACKS, SEQ, "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"],
        ["early = EarlyStopping(monitor='val_acc', patience=3)\n", "callbacks_list = [early]\n"],
        ["history = model.fit(x, y, validation_split=0.2, callbacks=callbacks_list)\n"],
    ]
    text = notebook(*cells)
    findings = lint_notebook_text(text, Settings(), CODE, "nb.ipynb")
    assert [(d.cell, d.row, d.column) for d in findings] == [(3, 1, 31)]
    assert "raises `ValueError: EarlyStopping callback received monitor=val_acc" in findings[0].message
    outcome = fix_notebook_text(text, Settings(), CODE, unsafe_fixes=False, path="nb.ipynb")
    assert read_notebook(outcome.text).cells[-2].text.startswith("early = EarlyStopping(monitor='val_accuracy', patience=3)")


def test_custom_metric_function_in_auto_mode_gets_keras2_direction():
    source = HEAD + CALLBACKS + SEQ + textwrap.dedent(
        """\
        def top_acc(y_true, y_pred):
            return y_pred

        def f1(y_true, y_pred):
            return y_pred

        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=[top_acc, f1])
        model.fit(x, y, callbacks=[ModelCheckpoint('m.h5', monitor='val_top_acc', save_best_only=True),
                                   ReduceLROnPlateau(monitor='val_f1'), EarlyStopping(monitor='f1', mode='max')])
        """
    )
    findings = found(source)
    assert [row for row, _, _ in findings] == [13, 14]
    assert "Keras 2 chose mode='max'" in findings[0][2] and "Keras 2 chose mode='min'" in findings[1][2]
    safe = fixed(source)
    assert "monitor='val_top_acc', mode='max', save_best_only=True)" in safe
    assert "ReduceLROnPlateau(monitor='val_f1')" in safe  # Keras 2 minimized 'f1': the user should look
    assert "ReduceLROnPlateau(monitor='val_f1', mode='min')" in fixed(source, unsafe=True)


def test_positional_monitor_followed_by_positionals_gets_mode_at_the_end():
    source = HEAD + CALLBACKS + SEQ + textwrap.dedent(
        """\
        from keras import metrics
        model.compile(optimizer='adam', loss='binary_crossentropy', metrics=[metrics.categorical_accuracy])
        stop = EarlyStopping('val_acc', 0.01, 3)
        model.fit(x, y, callbacks=[stop])
        """
    )
    assert fixed(source).endswith("stop = EarlyStopping('val_categorical_accuracy', 0.01, 3, mode='max')\nmodel.fit(x, y, callbacks=[stop])\n")


def test_callback_reaching_fits_that_disagree_is_silent():
    source = HEAD + CALLBACKS + textwrap.dedent(
        """\
        a = models.Sequential([layers.Dense(1, input_shape=(3,))])
        a.compile(optimizer='adam', loss='mse', metrics=['mae'])
        b = models.Sequential([layers.Dense(1, input_shape=(3,))])
        b.compile(optimizer='adam', loss='mse', metrics=['mean_absolute_error'])
        stop = EarlyStopping(monitor='val_mean_absolute_error')
        a.fit(x, y, callbacks=[stop])
        b.fit(x, y, callbacks=[stop])
        both = EarlyStopping(monitor='val_mean_absolute_error')
        a.fit(x, y, callbacks=[both])
        a.fit(x, y, validation_split=0.5, callbacks=[both])
        """
    )
    assert [row for row, _, _ in found(source)] == [12]
