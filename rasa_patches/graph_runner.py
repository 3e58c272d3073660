"""Runs the model's graph by calling its nodes in dependency order, without dask (speed).

Rasa 3.6 runs the graph of the trained model three times or more per visitor message (the NLU
parse, then one policy prediction per bot action) through dask's synchronous scheduler. Its
bookkeeping (ordering the tasks, tracking their state) cost about 3 ms a turn for graphs of a dozen
nodes that run one after the other anyway (py-spy, docs/measures.md, "Speed"). The nodes, their inputs and the
results are Rasa's; only the scheduling is replaced, by a depth-first evaluation that calls every
needed node once, after the nodes it needs.
"""

from typing import Any, Dict, List, Optional, Text

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


def evaluate(graph: Dict[Text, Any], targets: List[Text]) -> Dict[Text, Any]:
    """The values of `targets` in a dask-style graph built by `DaskGraphRunner`.

    A node is `(node, *names of the nodes it needs)`; an input is `(name, value)`, already a result.
    """
    results: Dict[Text, Any] = {}

    def value(name: Text) -> Any:
        if name not in results:
            node, *needs = graph[name]
            results[name] = node(*(value(need) for need in needs)) if callable(node) else graph[name]
        return results[name]

    return dict(value(target) for target in targets)


def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """`DaskGraphRunner.run` (Rasa 3.6.21) with `evaluate` in place of `dask.get`."""
    run_targets = targets if targets else self._graph_schema.target_names
    run_graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
    if inputs:
        self._add_inputs_to_graph(inputs, run_graph)
    try:
        return evaluate(run_graph, run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error

