"""The dense corpus generator: valid files, exactly one docker call appended to each."""

from __future__ import annotations

import ast

import libcst
import pytest

from bench import corpus

SUBSET = 20


def _docker_calls(tree: ast.AST) -> list[ast.Call]:
    """Calls whose first argument is a list/tuple starting with the string "docker"."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if (
                isinstance(first, (ast.List, ast.Tuple))
                and first.elts
                and isinstance(first.elts[0], ast.Constant)
                and first.elts[0].value == "docker"
            ):
                found.append(node)
    return found


@pytest.fixture(scope="module")
def subset() -> list[tuple[int, bytes, bytes]]:
    """(index, original, dense) for the first files of the deterministic candidate order."""
    root = corpus.stdlib_root()
    chosen = []
    for rel in corpus._candidate_order(corpus.stdlib_files(root)):
        original = (root / rel).read_bytes()
        if corpus.is_parseable(original):
            index = len(chosen)
            chosen.append((index, original, corpus.make_dense_source(original, index)))
        if len(chosen) == SUBSET:
            break
    return chosen


def test_dense_files_parse_with_the_interpreter_and_libcst(subset):
    for _, _, dense in subset:
        ast.parse(dense)
        libcst.parse_module(dense)


def test_each_file_gets_exactly_one_docker_call_after_its_original_bytes(subset):
    for index, original, dense in subset:
        assert dense.startswith(original.rstrip(b"\r\n"))
        assert not _docker_calls(ast.parse(original))
        calls = _docker_calls(ast.parse(dense))
        assert len(calls) == 1, index
        assert dense.count(corpus.FUNC_PREFIX.encode()) == 1


@pytest.mark.parametrize("index", range(0, 360, 7))
def test_every_shape_is_valid_python_and_libcst(index):
    source = corpus.make_dense_source(b"x = 1\n", index)
    tree = ast.parse(source)
    libcst.parse_module(source)
    assert len(_docker_calls(tree)) == 1
    func = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    assert func.name == f"{corpus.FUNC_PREFIX}{index:04d}"


def test_shapes_cover_the_command_families_and_import_styles():
    shapes = [corpus.choose_shape(i) for i in range(corpus.DENSE_COUNT)]
    assert {s.code for s in shapes} == {"DF001", "DF002", "DF003", "DF005"}
    assert {s.import_line.split()[0] for s in shapes} == {"import", "from"}
    assert {s.layout for s in shapes} == set(corpus.LAYOUTS)
    assert {s.func for s in shapes} == set(corpus.FUNCS)
    assert any(s.module_level_import for s in shapes)


def test_an_import_that_would_rebind_a_name_of_the_file_moves_into_the_function():
    index = next(
        i
        for i in range(100)
        if corpus.choose_shape(i).module_level_import
        and corpus.choose_shape(i).import_line.startswith("from")
    )
    bound = corpus.choose_shape(index).import_line.split()[-1]
    plain = corpus.appended_function(index)
    clash = corpus.appended_function(index, f"def {bound}(): pass\n".encode())
    assert f"\n{corpus.choose_shape(index).import_line}\n" in plain
    assert f"\n    {corpus.choose_shape(index).import_line}\n" in clash


def test_crlf_files_stay_crlf_and_the_generator_is_deterministic():
    dense = corpus.make_dense_source(b"x = 1\r\n", 5)
    assert b"\n" not in dense.replace(b"\r\n", b"")
    assert dense == corpus.make_dense_source(b"x = 1\r\n", 5)
    files = corpus.stdlib_files()
    assert (
        corpus._candidate_order(files)[:50] == corpus._candidate_order(list(reversed(files)))[:50]
    )
