"""Harness smoke program: a Keras 2 MLP on MNIST, as written for keras 2.x.

Crashes on Keras 3 at its first import (old module paths); runs after `keras3-lint --fix`.
"""
from __future__ import print_function

from keras.datasets import mnist
from keras.layers.core import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import RMSprop
from keras.utils import np_utils

batch_size = 128
num_classes = 10

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255
y_train = np_utils.to_categorical(y_train, num_classes)
y_test = np_utils.to_categorical(y_test, num_classes)

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(784,)))
model.add(Dropout(0.2))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer=RMSprop(lr=0.001), metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=batch_size, epochs=20, verbose=0, validation_data=(x_test, y_test))
score = model.evaluate(x_test[:256], y_test[:256], verbose=0)
print("Test loss:", score[0], "epochs run:", len(history.history["loss"]))
