"""Trains with Python's cyclic garbage collector off (training time).

At the end of DIET's training, TensorFlow tears down the training data pipeline, and Python's
cyclic collector then ran full collections, over and over, across the millions of objects that
training had created: 36 to 49 s of a 203 s NLU training spent after the last epoch (gdb: the main
thread in gcmodule.c; with the collector off the gap is 1 s). Reference counting still frees every
object outside a cycle at once; the few cycles left are freed when `rasa train` exits, a moment
later. Only `train` runs this way: the servers keep the collector on.
"""

import gc


def install() -> None:
    gc.disable()
