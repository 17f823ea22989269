"""A faster ``__init__`` for the codec's frozen, slotted result values.

``@dataclass(frozen=True, slots=True)`` makes an ``__init__`` that sets each field with
``object.__setattr__(self, name, value)`` (the class's own ``__setattr__`` refuses): a global
lookup, an attribute lookup and a generic call per field. Building the values of one
inspection (a :class:`~inspector.core.model.ParsedToken` alone has 14 fields) that way cost
about a sixth of PyJWT's whole decode of the same token (measured; issue 17).
:func:`fast_init` replaces that ``__init__`` with one of the same signature, defaults and
``__post_init__`` call that sets each slot through its member descriptor's ``__set__``, bound
once: about half the cost per field. Everything else the dataclass made (``__eq__``,
``__hash__``, ``__repr__``, pickling, ``dataclasses.replace``) is left as it was.

:func:`value_class` is the decorator the codec's value classes use: a frozen, slotted
dataclass with :func:`fast_init`'s ``__init__`` only, declared a dataclass transform so that
type checkers (``mypy`` strict, over ``inspector/core``) see that ``__init__``.

Imports nothing but :mod:`dataclasses` and :mod:`typing` (both loaded before the window's
first frame anyway: the window loads the result values then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_FACTORY = object()


def fast_init(cls: type[T]) -> type[T]:
    """Give the frozen, slotted dataclass ``cls`` the faster ``__init__`` (see the module)."""
    if "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    params: list[str] = []
    body: list[str] = []
    keyword_only = False
    for f in fields(cls):  # type: ignore[arg-type]
        name = f.name
        setter = f"_set_{name}"
        namespace[setter] = cls.__dict__[name].__set__  # the slot's member descriptor
        if f.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
        if not f.init:
            if f.default is not MISSING:
                namespace[f"_default_{name}"] = f.default
                body.append(f"{setter}(self, _default_{name})")
            elif f.default_factory is not MISSING:
                body.append(f"{setter}(self, _factory_{name}())")
            continue
        if f.kw_only and not keyword_only:
            params.append("*")
            keyword_only = True
        if f.default is not MISSING:
            namespace[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
        elif f.default_factory is not MISSING:
            params.append(f"{name}=_FACTORY")
            body.append(f"if {name} is _FACTORY: {name} = _factory_{name}()")
        else:
            params.append(name)
        body.append(f"{setter}(self, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value_class(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]:
    """``@dataclass(frozen=True, slots=True, kw_only=kw_only)`` with :func:`fast_init`'s
    ``__init__``, and without the one ``dataclass`` would compile first only to be replaced
    (``init=False`` inside: ~1 ms of import a class on CPython 3.11, the launch's forked child
    among its importers). Declared a dataclass transform (PEP 681) so that type checkers
    still see the ``__init__`` the class has."""

    def make(cls: type[T]) -> type[T]:
        made = dataclass(frozen=True, slots=True, kw_only=kw_only, init=False)(cls)
        return fast_init(made)

    return make


def builder(cls: type[T], *names: str, check: bool = True) -> Callable[..., T]:
    """A function that makes a ``cls`` (a frozen, slotted dataclass) from the fields
    ``names`` given POSITIONALLY in that order, every other field at its default. For the
    few values made once per token: matching a dozen keywords to parameters cost as much as
    setting the fields (a ``ParsedToken`` took 3.5 us with keywords, 1.8 us this way). The
    names are spelt out where the builder is made, so a field added to the class later gets
    its default, never another's value.

    How the fields are set: on an instance of a mutable twin of ``cls`` (the same slots, no
    ``__setattr__`` of its own), by plain assignment, which the interpreter does in a few
    instructions; the instance then becomes a ``cls`` (``__class__`` assigned: the layouts
    are the same), frozen like any other. Setting each slot through its descriptor's
    ``__set__``, as :func:`fast_init` must (its instance is a ``cls`` from the start), cost
    three times as much a field: a token's values have some forty (measured with cachegrind;
    issue 17). Where the twin cannot stand in (a class with a base of its own), the
    descriptors it is.

    ``__post_init__`` runs unless ``check`` is false: for a caller that has itself checked
    the values it gives (the facade, for the usual call with every setting but two at its
    default).
    """
    if "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = [n for n in names if n not in known or not known[n].init]
    if unknown or len(set(names)) != len(names):
        raise TypeError(f"{cls.__name__} has no init fields {unknown or names}")
    twin = _mutable_twin(cls)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_twin": twin}
    body: list[str] = ["self = _new(_cls)" if twin is None else "self = _new(_twin)"]
    for name, f in known.items():
        if twin is None:
            setter = f"_set_{name}"
            slot = next(c.__dict__[name] for c in cls.__mro__ if name in c.__dict__)
            namespace[setter] = slot.__set__
            set_to = f"{setter}(self, {{}})"
        else:
            set_to = f"self.{name} = {{}}"
        if name in names:
            body.append(set_to.format(name))
        elif f.default is not MISSING:
            namespace[f"_default_{name}"] = f.default
            body.append(set_to.format(f"_default_{name}"))
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = f.default_factory
            body.append(set_to.format(f"_factory_{name}()"))
        else:
            raise TypeError(f"{cls.__name__}.{name} has no default: name it")
    if twin is not None:
        body.append("self.__class__ = _cls")
    if check and hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    body.append("return self")
    exec(f"def build({', '.join(names)}):\n    " + "\n    ".join(body), namespace)
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = f"{cls.__qualname__}.<build {', '.join(names)}>"
    return build


def _mutable_twin(cls: type) -> type | None:
    """A class with ``cls``'s slots and nothing else, whose instances may become ``cls``
    instances (see :func:`builder`), or ``None`` where that cannot be: ``cls`` derives from
    another class than ``object`` (whose own slots or ``__setattr__`` the twin would lack or
    share), or the interpreter refuses the change of class."""
    if cls.__bases__ != (object,):
        return None
    twin = type(f"{cls.__name__}Making", (), {"__slots__": cls.__dict__["__slots__"]})
    twin.__module__ = cls.__module__
    try:
        probe: Any = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:  # pragma: no cover - a layout the interpreter does not see as the same
        return None
    return twin
