"""One typo apart: how the safety word lists and the relevance check forgive a visitor's typing."""


def one_edit_apart(a: str, b: str) -> bool:
    """Whether `b` is `a` with at most one letter changed, added, removed, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(differences) <= 1 or (len(differences) == 2 and differences[1] == differences[0] + 1
                                         and a[differences[0]] == b[differences[1]] and a[differences[1]] == b[differences[0]])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
