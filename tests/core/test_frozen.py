"""``fast_init``: the frozen result values get a faster ``__init__`` that behaves as the one
``dataclass`` made (same parameters, defaults, keyword-only rule, ``__post_init__``)."""

from __future__ import annotations

import inspect
import pickle
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields, replace

import pytest

from inspector.core import cleaning, keys, model, notjwt, sdjwt
from inspector.core.frozen import builder, fast_init
from inspector.core.outcome import Outcome


def _pair(kw_only: bool, dataclass_init: bool = True):
    """The same dataclass twice: as ``dataclass`` made it, and with ``fast_init`` (on a class
    for which ``dataclass`` made no ``__init__`` when ``dataclass_init`` is false, as the
    model's are declared: compiling one that ``fast_init`` replaces cost import time)."""

    def make(init: bool = True):
        @dataclass(frozen=True, slots=True, kw_only=kw_only, init=init)
        class Value:
            a: int
            b: str = "b"
            c: list[int] = field(default_factory=list)
            d: object = field(default=None, init=False, compare=False)

            def __post_init__(self) -> None:
                if self.a < 0:
                    raise ValueError("a must be >= 0")

        return Value

    return make(), fast_init(make(dataclass_init))


@pytest.mark.parametrize("dataclass_init", [True, False])
@pytest.mark.parametrize("kw_only", [True, False])
def test_fast_init_behaves_as_the_dataclass_init(kw_only, dataclass_init) -> None:
    plain, fast = _pair(kw_only, dataclass_init)
    assert [p.kind for p in inspect.signature(fast).parameters.values()] == [
        p.kind for p in inspect.signature(plain).parameters.values()
    ]
    for kwargs in ({"a": 1}, {"a": 2, "b": "x"}, {"a": 3, "c": [1]}):
        p, f = plain(**kwargs), fast(**kwargs)
        assert repr(p).replace(plain.__qualname__, "V") == repr(f).replace(fast.__qualname__, "V")
        assert (p.a, p.b, p.c, p.d) == (f.a, f.b, f.c, f.d)
    assert fast(a=1).c is not fast(a=1).c  # a fresh default from the factory each time
    for cls in (plain, fast):
        with pytest.raises(ValueError, match="a must be"):
            cls(a=-1)
        with pytest.raises(TypeError):
            cls()  # a is required
        with pytest.raises(TypeError):
            cls(a=1, d=2)  # not an init field
        with pytest.raises(FrozenInstanceError):
            cls(a=1).a = 2  # type: ignore[misc]
    if kw_only:
        with pytest.raises(TypeError):
            fast(1)
    else:
        assert fast(1, "x").b == "x"
    value = fast(a=1, b="x")
    assert replace(value, b="y") == fast(a=1, b="y")
    assert hash(fast(a=1, c=None)) == hash(fast(a=1, c=None))  # type: ignore[arg-type]


def test_only_slotted_classes() -> None:
    @dataclass(frozen=True)
    class Plain:
        a: int = 0

    with pytest.raises(TypeError, match="not a slotted"):
        fast_init(Plain)


@pytest.mark.parametrize(
    "cls",
    [
        model.ParsedToken,
        model.Verification,
        model.TimeClaim,
        model.Analysis,
        model.Inspection,
        keys.CertificateFacts,
        keys.KeyCandidate,
        keys.LoadedKey,
        sdjwt.Disclosure,
        sdjwt.KeyBinding,
        sdjwt.SdJwt,
        notjwt.NotJwt,
        cleaning.JwsJson,
    ],
)
def test_the_result_values_keep_their_parameters(cls) -> None:
    params = inspect.signature(cls).parameters
    init_fields = [f for f in fields(cls) if f.init]
    assert list(params) == [f.name for f in init_fields]
    for f in init_fields:
        p = params[f.name]
        assert p.kind is inspect.Parameter.KEYWORD_ONLY
        if f.default is not MISSING:
            assert p.default == f.default
        elif f.default_factory is MISSING:
            assert p.default is inspect.Parameter.empty


def test_verification_still_checks_its_invariants() -> None:
    with pytest.raises(ValueError, match="contradicts"):
        model.Verification(status="valid", outcome=Outcome.NO_KEY)
    with pytest.raises(TypeError, match="must be an Outcome"):
        model.Verification(outcome="no-key")  # type: ignore[arg-type]
    verification = model.Verification()
    assert pickle.loads(pickle.dumps(verification)) == verification
    analysis = model.Analysis()
    assert analysis.times == ()
    assert analysis.descriptions == ()


def test_builder_makes_the_same_frozen_value_as_the_class() -> None:
    """``builder`` sets the fields on a mutable twin and then makes it a ``cls``: the value
    is a true, frozen ``cls`` equal to the one the class makes, its defaults fresh, its
    checks run (unless told not to), and it pickles; a class with a base of its own is
    built the other way, with the same result."""
    plain, fast = _pair(kw_only=True, dataclass_init=False)

    @dataclass(frozen=True, slots=True)
    class Base:
        a: int = 0

    @dataclass(frozen=True, slots=True)
    class Derived(Base):
        b: str = "b"

    for cls in (plain, fast):
        build = builder(cls, "a", "b")
        value = build(1, "x")
        assert type(value) is cls
        assert value == cls(a=1, b="x")
        assert build(1, "x").c is not build(1, "x").c  # (a fresh default each time)
        with pytest.raises(FrozenInstanceError):
            value.a = 2  # type: ignore[misc]
        with pytest.raises(ValueError, match="a must be"):
            build(-1, "x")
        assert builder(cls, "a", check=False)(-1).a == -1
    assert pickle.loads(pickle.dumps(builder(model.TimeClaim, "claim", "location", "value",
                                             "render")("exp", "/payload/exp", 5, None))) == (
        model.TimeClaim(claim="exp", location="/payload/exp", value=5)
    )  # fmt: skip
    derived = builder(Derived, "b")("y")
    assert type(derived) is Derived
    assert derived == Derived(b="y")
    with pytest.raises(FrozenInstanceError):
        derived.b = "z"  # type: ignore[misc]
