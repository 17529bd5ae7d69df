"""The named SPARQL queries of queries/*.rq, with their grlc-style `#+` metadata.

Parameters follow the grlc convention: a variable `?_name` takes a string, `?_name_iri` an IRI,
`?_name_integer`, `?_name_decimal`, `?_name_date` and `?_name_gyear` typed literals; two underscores
(`?__name_iri`) mark the parameter optional, as grlc reads it, and a parameter is optional exactly when
the header gives it a default. Values are checked and turned into RDF terms here; backends bind them,
nothing is pasted into query text (grlc pastes them, so a parameter never stands where a value cannot).
Each file declares its own prefixes, so it runs unchanged in grlc, TriplyDB or any SPARQL client.

A query that projects a parameter under its name (`SELECT ?region ... BIND(?__region_iri AS ?region)`) can also be
asked once for a list of values (`NamedQuery.bind_list`): the values become a one-column VALUES block
of checked RDF terms, and each row names the value it answers for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from app.backends import SelectResult
from app.backends.binding import term_to_sparql, where_group_start
from app.paths import ROOT
from app.results import rows as plain_rows

QUERY_DIR = ROOT / "queries"
PARAMETER = re.compile(r"[?$]__?([A-Za-z][A-Za-z0-9]*)(?:_(iri|integer|decimal|date|gyear|string))?\b")
QUERY_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$")
# GROUP_CONCAT(...; separator="x") AS ?name (the separator written without escapes)
CONCATENATION = re.compile(r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"([^"\\]*)"\s*\)\s*AS\s+\?(\w+)',
                           re.IGNORECASE)
# The variables of the query's last ORDER BY: `?v`, `ASC(?v)`, `DESC(?v)`, `STR(?v)` (None if another expression)
ORDER_BY = re.compile(r"\bORDER\s+BY\s+((?:(?:ASC|DESC|STR)?\s*\(\s*\??\w+\s*\)|\?\w+)\s*)+", re.IGNORECASE)
SELECT_CLAUSE = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\b", re.IGNORECASE | re.DOTALL)
MAX_LIST = 200  # values of one parameter in one query (there are 31 regions)
# A VALUES block of constant terms, as app.backends.binding and NamedQuery.bind_list write it: one row of
# values for a list of variables, or a list of values for one variable. Terms: IRIs, strings (short or long,
# with a language tag or a datatype), numbers and booleans; nothing that could be a pattern or an expression.
_IRI = r'<[^\x00-\x20<>"{}|^`\\]*>'
_ECHAR = r"\\[tbnrf\"'\\]"  # no \u or \U: SPARQL reads those before it parses, anywhere (a quote could end a string)
_STRING = rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""|"(?:[^"\\\n\r]|{_ECHAR})*"'
TERM = re.compile(rf'(?:{_STRING})(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^{_IRI})?|{_IRI}|[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|true|false')
_TERMS = rf"(?:\s*(?:{TERM.pattern}))+"
VALUES_BLOCK = re.compile(rf"\s*VALUES\s*(?:\((?P<variables>(?:\s*\?\w+)+)\s*\)\s*\{{\s*\((?P<row>{_TERMS})\s*\)\s*\}}"
                          rf"|\?(?P<variable>\w+)\s*\{{(?P<column>{_TERMS})\s*\}})\s*", re.IGNORECASE)


class ParameterError(ValueError):
    """A parameter value is missing, unknown or malformed."""


class QueryFileError(ValueError):
    """A .rq file has a malformed header."""


@dataclass(frozen=True)
class Parameter:
    name: str
    variable: str
    kind: str
    default: str | None = None

    def to_term(self, value: str) -> Node:
        try:
            if self.kind == "iri":
                if not ABSOLUTE_IRI.match(value):
                    raise ValueError("not an absolute IRI")
                return URIRef(value)
            if self.kind == "integer":
                return Literal(int(value), datatype=XSD.integer)
            if self.kind == "decimal":
                return Literal(Decimal(value), datatype=XSD.decimal)
            if self.kind == "date":
                return Literal(date.fromisoformat(value), datatype=XSD.date)
            if self.kind == "gyear":
                if not re.fullmatch(r"-?\d{4,}", value):
                    raise ValueError("not a year")
                return Literal(value, datatype=XSD.gYear)
        except (ValueError, InvalidOperation) as error:
            raise ParameterError(f"parameter {self.name!r} must be {self.kind}: {value!r} ({error})") from None
        return Literal(value)


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    form: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    example: str = ""

    @cached_property
    def projected(self) -> list[str]:
        """The variables of the SELECT clause (an expression counts under its AS name); [] for other forms."""
        return projected_variables(self.text) if self.form == "SELECT" else []

    @cached_property
    def concatenations(self) -> dict[str, str]:
        """The columns a GROUP_CONCAT fills, with their separators."""
        return {match.group(2): match.group(1) for match in CONCATENATION.finditer(self.text)}

    @cached_property
    def order_keys(self) -> list[str] | None:
        """The projected variables the query orders by ([] without ORDER BY; None if it orders by anything else)."""
        clauses = list(ORDER_BY.finditer(self.text))
        if not clauses:
            return []
        head = SELECT_CLAUSE.search(self.text)  # a query that selects (?__area_iri AS ?area) orders by ?area
        renamed = dict(re.findall(r"\(\s*\?(\w+)\s+AS\s+\?(\w+)\s*\)", head.group(1) if head else "", re.IGNORECASE))
        names = [renamed.get(name, name) for name in re.findall(r"\?(\w+)", clauses[-1].group(0))]
        return names if all(name in self.projected for name in names) else None

    def rows(self, result: SelectResult) -> list[dict]:
        """The answer as plain rows, normalised (see `normalise`)."""
        return self.normalise(plain_rows(result))

    def normalise(self, found: list[dict]) -> list[dict]:
        """Plain rows made the same from every store. SPARQL leaves to the store the order inside a
        GROUP_CONCAT and the order of rows that the query's ORDER BY does not tell apart, and stores answer an
        empty concatenation as "" or as unbound. So each concatenated field is put in one order (its parts
        sorted by code points), an empty one is None, and rows the ORDER BY leaves tied (all rows, without
        ORDER BY) are sorted by their values."""
        found = [dict(row) for row in found]
        for column, separator in self.concatenations.items():
            for row in found:
                parts = sorted(part for part in str(row.get(column) or "").split(separator) if part)
                row[column] = separator.join(parts) if parts else None
        if self.order_keys is None:
            return found
        ordered, tied = [], []
        for row in found:
            if tied and any(row[key] != tied[0][key] for key in self.order_keys):
                ordered.extend(sorted(tied, key=values_order))
                tied = []
            tied.append(row)
        return ordered + sorted(tied, key=values_order)

    def bind(self, values: Mapping[str, str], exclude: Iterable[str] = ()) -> dict[str, Node]:
        """RDF terms for the parameters (a value given, else the default); those in `exclude` are left out."""
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            raise ParameterError(f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                                 f"it takes: {', '.join(self.parameters) or 'none'}")
        bindings = {}
        for name, parameter in self.parameters.items():
            if name in exclude:
                continue
            value = values.get(name, parameter.default)
            if value is None:
                raise ParameterError(f"query {self.name!r} needs parameter {name!r} ({parameter.kind})")
            bindings[parameter.variable] = parameter.to_term(str(value))
        return bindings

    @cached_property
    def _around_bindings(self) -> tuple[str, str]:
        at = where_group_start(self.text)
        return self.text[:at], self.text[at:]

    def is_text_of(self, text: str) -> bool:
        """Whether `text` is this query: its text as it stands, or with its parameters bound as the API binds
        them (a VALUES block of constant terms, for its own parameter variables only, first in the WHERE
        group; see app.backends.binding and `bind_list`). Such a text asks nothing the query's own route
        (/queries/{name}) would not answer."""
        if text == self.text:
            return True
        head, tail = self._around_bindings
        if len(text) <= len(self.text) or not (text.startswith(head) and text.endswith(tail)):
            return False
        block = VALUES_BLOCK.fullmatch(text, len(head), len(text) - len(tail))
        if block is None or re.search(r"\\[uU]", block[0]):
            return False
        if block["variable"]:
            variables, terms = [block["variable"]], TERM.findall(block["column"])
        else:
            variables, terms = re.findall(r"\?(\w+)", block["variables"]), TERM.findall(block["row"])
            if len(terms) != len(variables):
                return False
        own = {parameter.variable for parameter in self.parameters.values()}
        return len(set(variables)) == len(variables) and set(variables) <= own and len(terms) <= MAX_LIST

    def bind_list(self, name: str, values: Sequence[str], others: Mapping[str, str] | None = None
                  ) -> tuple[str, dict[str, Node]]:
        """Ask the query once for several values of parameter `name`: (query text, bindings of the others).

        The values are checked like any parameter value and become a one-column VALUES block placed first
        in the WHERE group; the other parameters are bound as usual (by the backend). The query must project
        the parameter under its name (e.g. `?region`, bound to `?__region_iri`), so that each row says which value
        it answers for; otherwise the rows of different values could not be told apart.
        """
        parameter = self.parameters.get(name)
        if parameter is None:
            raise ParameterError(f"query {self.name!r} has no parameter {name!r}; it takes: {', '.join(self.parameters) or 'none'}")
        if name not in self.projected:
            raise ParameterError(f"query {self.name!r} does not project ?{name}, so it cannot be asked for several values of it")
        terms = list(dict.fromkeys(parameter.to_term(str(value)) for value in values))
        if not terms:
            raise ParameterError(f"query {self.name!r} needs at least one value of {name!r}")
        if len(terms) > MAX_LIST:
            raise ParameterError(f"at most {MAX_LIST} values of {name!r} in one query; got {len(terms)}")
        block = f"VALUES ?{parameter.variable} {{ {' '.join(term_to_sparql(term) for term in terms)} }}"
        head, tail = self._around_bindings
        return f"{head} {block} {tail}", self.bind(others or {}, exclude=(name,))


def values_order(row: dict) -> tuple:
    return tuple((value is None, str(value)) for value in row.values())


def projected_variables(text: str) -> list[str]:
    """Names of the variables a SELECT query projects, read from its SELECT clause (AS names included)."""
    head = SELECT_CLAUSE.search(text)
    names, depth, after_as = [], 0, False
    for token in re.findall(r"\(|\)|[?$]\w+|\bAS\b", head.group(1) if head else "", re.IGNORECASE):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token.upper() == "AS":
            after_as = True
        elif depth == 0 or after_as:
            names.append(token[1:])
            after_as = False
    return list(dict.fromkeys(names))


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else line[2:]
                       for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise QueryFileError(f"{path}: header is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise QueryFileError(f"{path}: header must be '#+ key: value' lines")
    form_match = QUERY_FORM.search(text)
    if not form_match:
        raise QueryFileError(f"{path}: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    defaults = {}
    for entry in meta.get("defaults") or []:
        if isinstance(entry, dict):
            defaults.update({str(k): str(v) for k, v in entry.items()})
    parameters = {}
    for match in PARAMETER.finditer(text):
        name, kind = match.group(1), match.group(2) or "string"
        variable = match.group(0)[1:]
        parameters[name] = Parameter(name, variable, kind, defaults.get(name))
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        form=form_match.group(1).upper(),
        summary=str(meta.get("summary", "")).strip(),
        description=str(meta.get("description", "")).strip(),
        tags=[str(t) for t in meta.get("tags") or []],
        parameters=parameters,
        example=str(meta.get("example", "")).strip(),
    )


class QueryLibrary:
    def __init__(self, queries: dict[str, NamedQuery]):
        self.queries = queries

    @classmethod
    def load(cls, directory: Path = QUERY_DIR) -> "QueryLibrary":
        return cls({q.name: q for q in map(parse_query_file, sorted(directory.glob("*.rq")))})

    def __contains__(self, name: str) -> bool:
        return name in self.queries

    def __iter__(self):
        return iter(self.queries.values())

    def named(self, text: str) -> NamedQuery | None:
        """The query of the library that `text` is (see NamedQuery.is_text_of), or None."""
        return next((query for query in self if query.is_text_of(text)), None)

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise KeyError(f"unknown query {name!r}; known: {', '.join(sorted(self.queries))}") from None
