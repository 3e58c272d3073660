"""Trains with Python's cyclic garbage collector off (training time).

At the end of DIET's training, TensorFlow tears down the training data pipeline. With the collector
on, the main thread then spent 36 to 49 s after the last epoch, part of it in full collections
(gdb: gcmodule.c) while TensorFlow waited for its data thread: in all 5 NLU trainings measured
(159-161 s for DIET instead of 114-120 s). With the collector off, 3 trainings of 4 had no stall
(full training 157 and 166 s instead of 213 s); the fourth still stalled, so TensorFlow's wait has
another trigger too. Reference counting still frees every object outside a cycle at once; the few
cycles left are freed when `train` exits. Only `train` runs this way: servers keep the collector.
"""

import gc


def install() -> None:
    gc.disable()
