"""Optimizers: the article's update ``W ← W − η·∂L/∂W`` and two refinements."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from autograd.language import text

#: A learning-rate schedule: epoch number (from 0) -> learning rate.
Schedule = Callable[[int], float]

#: What ``Optimizer.snapshot`` returns: the parameters' values, and the
#: optimizer's own state by attribute name.
Snapshot = tuple[list[float], dict[str, Any]]


def finite(values: list[float]) -> bool:
    """Whether every number in ``values`` is finite (no nan, no inf).

    One sum instead of a test per number: nan and inf both survive it. Only
    a sum that is not finite needs a closer look, as huge finite numbers can
    add up to inf.
    """
    return math.isfinite(sum(values)) or all(map(math.isfinite, values))


class Optimizer:
    """Updates parameters from their ``.grad``.

    Args:
        parameters: the Values to update (``model.parameters()``).
        lr: the learning rate η.
        schedule: optional; ``fit`` calls ``set_epoch(e)`` at the start of each
            epoch, which sets ``lr = schedule(e)``.
    """

    #: Attributes holding a subclass's running state (velocities, moments),
    #: copied by ``snapshot``. An optimizer of your own lists its own here.
    state_names: tuple[str, ...] = ()

    def __init__(
        self, parameters: Sequence[Value], lr: float, schedule: Schedule | None = None
    ) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError(text("error.optim.no_parameters"))
        real = isinstance(lr, numbers.Real) and not isinstance(lr, bool)
        if not (real and lr > 0 and math.isfinite(lr)):
            raise ValueError(text("error.optim.learning_rate", given=repr(lr)))
        self.lr = float(lr)
        self.schedule = schedule

    def set_epoch(self, epoch: int) -> None:
        """Apply the schedule (if any) for this epoch."""
        if self.schedule is not None:
            self.lr = float(self.schedule(epoch))

    def snapshot(self) -> Snapshot:
        """The parameters' values and the optimizer's state, to undo a step with ``restore``.

        The training loop keeps one from before every update, so that an
        update cut short (Ctrl-C) or gone bad (nan) can be undone as a whole.
        """
        state = {}
        for name in self.state_names:
            value = getattr(self, name)
            state[name] = list(value) if isinstance(value, list) else value
        return [p.data for p in self.parameters], state

    def restore(self, snapshot: Snapshot) -> None:
        """Put back the parameters' values and the state saved by ``snapshot()``."""
        values, state = snapshot
        for p, value in zip(self.parameters, values, strict=True):
            p.data = value
        for name, value in state.items():
            setattr(self, name, list(value) if isinstance(value, list) else value)

    def parameters_finite(self) -> bool:
        """Whether every parameter is a finite number (no nan, no inf).

        The training loop asks after every update (of the snapshot it takes
        then: ``finite(snapshot[0])``): an update gone bad is undone with
        ``restore``.
        """
        return finite([p.data for p in self.parameters])

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0."""
        for p in self.parameters:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once."""
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, exactly the article's ``W ← W − η·∂L/∂W``.

    With ``momentum`` μ > 0 a velocity accumulates: ``v ← μ·v + ∂L/∂W``,
    ``W ← W − η·v``.
    """

    def __init__(
        self,
        parameters: Sequence[Value],
        lr: float = 0.1,
        momentum: float = 0.0,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(parameters, lr, schedule)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(text("error.optim.momentum", given=repr(momentum)))
        self.momentum = momentum
        self.velocity = [0.0] * len(self.parameters)

    @property
    def state_names(self) -> tuple[str, ...]:  # type: ignore[override]
        """The velocity, when there is momentum (without, it stays 0: nothing to keep)."""
        return ("velocity",) if self.momentum else ()

    def step(self) -> None:
        for i, p in enumerate(self.parameters):
            if self.momentum:
                self.velocity[i] = self.momentum * self.velocity[i] + p.grad
                p.data -= self.lr * self.velocity[i]
            else:
                p.data -= self.lr * p.grad


class Adam(Optimizer):
    """Adam: per-parameter steps from running means of the gradient and its square."""

    state_names = ("m", "v", "t")

    def __init__(
        self,
        parameters: Sequence[Value],
        lr: float = 0.01,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        schedule: Schedule | None = None,
    ) -> None:
        super().__init__(parameters, lr, schedule)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.m = [0.0] * len(self.parameters)
        self.v = [0.0] * len(self.parameters)
        self.t = 0

    def step(self) -> None:
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for i, p in enumerate(self.parameters):
            g = p.grad
            self.m[i] = self.beta1 * self.m[i] + (1.0 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1.0 - self.beta2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)


def make_optimizer(name: str, parameters: Sequence[Value], lr: float) -> Optimizer:
    """An optimizer by name: sgd, momentum (SGD with μ = 0.9) or adam."""
    if name == "sgd":
        return SGD(parameters, lr)
    if name == "momentum":
        return SGD(parameters, lr, momentum=0.9)
    if name == "adam":
        return Adam(parameters, lr)
    raise ValueError(text("error.optim.unknown", given=repr(name)))
