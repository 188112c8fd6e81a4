"""`flask jobmatch weights fit`: propose ranking weights from recorded outcomes."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from jobmatch.monitoring import weights


@click.group("weights")
def weights_cli():
    """The ranking's weights, fitted on what came of the lists shown."""


def _row(name: str, m: dict) -> str:
    def f(v):
        return "—" if v is None else f"{v:.3f}"

    return (f"| {name} | {m['outcomes']} | {f(m['hit@3'])} | {f(m['hit@10'])} | "
            f"{f(m['mrr'])} | {f(m['auc'])} |")  # fmt: skip


def report_table(fitted: weights.Fitted) -> str:
    """The proposal beside the current weights, and both on the held-out lists (Markdown)."""
    lines = ["| component | current weight | coefficient | proposed weight |", "|---|---|---|---|"]
    for name in weights.COMPONENTS:
        lines.append(
            f"| {name} | {fitted.current.get(name, 0):.3f} | "
            f"{fitted.coefficients[name]:+.3f} | {fitted.proposed[name]:.3f} |"
        )
    lines += [
        "",
        "| weights, on the held-out lists | outcomes | hit@3 | hit@10 | MRR | AUC |",
        "|---|---|---|---|---|---|",
        _row("current", fitted.test_current),
        _row("proposed", fitted.test_proposed),
    ]
    return "\n".join(lines)


@weights_cli.command("fit")
@click.option("--days", default=365, show_default=True, help="Outcomes of the last N days.")
@click.option(
    "--outcome",
    type=click.Choice(list(weights.POSITIVE)),
    default="hired",
    show_default=True,
    help="What counts as a good match: a hire (or placement), or a shortlist too.",
)
@click.option("--held-out", "share", default=0.3, show_default=True, help="Lists set aside.")
@click.option("--seed", default=0, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the proposal (default: the instance folder's weights-proposal.json).",
)
@with_appcontext
def weights_fit(days: int, outcome: str, share: float, seed: int, out: Path | None):
    """Fit a logistic regression over the ranking's components on recorded outcomes, report
    it against the current weights on held-out lists, and write the proposal. The running
    configuration is not changed."""
    by_vacancy, positive = weights.gather(days, outcome)
    with click.progressbar(length=len(by_vacancy), label="scoring the lists") as bar:
        sample = weights.collect(by_vacancy, positive, progress=bar.update)
    try:
        fitted = weights.fit(sample, share, seed)
    except weights.NotEnough as error:
        raise click.ClickException(f"Not enough outcomes to fit: {error}.") from error
    out = out or Path(current_app.config["INSTANCE_PATH"]) / "weights-proposal.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fitted.as_dict(), indent=2) + "\n")
    click.echo(
        f"{len(sample.y)} pairs, {int(sample.y.sum())} {outcome} "
        f"({fitted.train['outcomes']} to fit, {fitted.test_current['outcomes']} held out)\n"
    )
    click.echo(report_table(fitted))
    better = (fitted.test_proposed["mrr"] or 0) - (fitted.test_current["mrr"] or 0)
    click.echo(
        f"\nOn the held-out lists the proposal changes the MRR by {better:+.3f}. "
        f"Written to {out}; nothing is changed until MATCH_WEIGHTS is set "
        f"(for example {fitted.as_dict()['apply_with']})."
    )
