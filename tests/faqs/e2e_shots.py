"""Screenshots the browser tests leave in test-artifacts/ (git-ignored), for a person
to open and look at: CI keeps the folder of a failed run."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def screenshot(target, name: str, **options) -> Path:
    """A page's or a locator's picture as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path), **options)
    return path
