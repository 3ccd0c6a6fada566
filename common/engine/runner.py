"""The run engine: one lifecycle for every reproduction (flags -> corpora -> ledger -> experiments -> tables).

``run(paper, argv)`` parses the shared flags, sets up threads, opens the corpora (the user's copy or the
synthetic twin, seeded by ``--twin-seed`` for every paper), builds the resume ledger and the results store,
applies ``--from-tuning`` to the network its search tuned, then either runs a keras-tuner search (``--tune``)
or every experiment of the paper in order, writing the tables after each one and a summary line at the end.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from common.atomic import atomic_write_text
from common.cli import Args, build_parser, parse_args
from common.config_file import config_of, write_config
from common.corpora import Corpus, open_corpus
from common.engine.contract import Paper, Search
from common.engine.outputs import Outputs
from common.engine.rehearsal import STATE_FILE, Rehearsal
from common.engine.session import Session
from common.engine.sittings import HandOver, Sittings, continue_in_fresh_process, default_units_per_process, sitting
from common.engine.unit import Units
from common.errors import ConfigError
from common.identity import profile_search_name, run_identity
from common.paths import slug
from common.results import ResultsStore, RunContext, write_markdown
from common.training import Ledger, configure_threads
from common.usable import check_usable

log = logging.getLogger("sereprod")
#: profiles whose few epochs leave models undertrained by design: one summary line instead of a warning per unit
UNDERTRAINED_BY_DESIGN = frozenset({"smoke"})


def parse(paper: Paper, argv: list[str] | None) -> Args:
    """The paper's flags, checked and read-only: profile defaults filled, ``--strategy`` and corpus roots validated,
    ``out`` the folder this run writes to (``<--out>/rehearsal`` under ``--rehearse``, whose report goes to
    ``report_dir``, the ``--out`` given)."""
    args = parse_args(build_parser(paper), paper.profiles, argv, paper.name)
    if not hasattr(args, "corpus"):
        args = args.replace(corpus=paper.corpora[0])
    if args.strategy not in paper.strategies:
        raise ConfigError(f"--strategy {args.strategy}: {paper.name} trains with "
                          f"{' or '.join(paper.strategies)} only (its training loop does not run under "
                          f"tf.distribute {args.strategy})")
    if args.strategy != "default":
        from common.provenance import keras_backend

        if keras_backend() != "tensorflow":
            raise ConfigError(f"--strategy {args.strategy} is a tf.distribute strategy; the Keras backend "
                              f"is {keras_backend()} (set KERAS_BACKEND=tensorflow or drop --strategy)")
    extra_dirs = {e.name: getattr(args, f"extra_dir_{e.name}") for e in paper.extra_corpora}
    given = [e for e in paper.extra_corpora if extra_dirs[e.name] is not None]
    if given and args.data_dir is None or args.data_dir is not None and len(given) < len(paper.extra_corpora):
        flags = " and ".join(["--data-dir", *(e.flag for e in paper.extra_corpora)])
        raise ConfigError(f"{flags} go together: give all of them for real data or none for the synthetic twins")
    for e in given:
        if not extra_dirs[e.name].exists():
            raise ConfigError(f"{e.flag} {extra_dirs[e.name]}: no such directory")
    args = args.replace(extra_dirs=extra_dirs, report_dir=Path(args.out),
                        out=Path(args.out) / "rehearsal" if args.rehearse else Path(args.out))
    if args.whole_passes and not args.rehearse:
        raise ConfigError("--whole-passes applies to a rehearsal only: give it with --rehearse (a run predicts "
                          "every pass whole)")
    if args.tune and not paper.searches:
        raise ConfigError(f"{paper.name} declares no search: --tune has nothing to search")
    if args.units_per_process is None:
        from common.provenance import keras_backend

        args = args.replace(units_per_process=default_units_per_process(args.profile, keras_backend()))
    if args.units_per_process < 0:
        raise ConfigError(f"--units-per-process {args.units_per_process}: must be >= 0 (0: all in one process)")
    if sitting() > 1:  # a later sitting of the same run resumes what the earlier ones finished
        args = args.replace(fresh=False)
    return args


def open_corpora(paper: Paper, args: Args) -> dict[str, Corpus]:
    """The main corpus (``--corpus``) and the paper's extra ones, all by the same twin rule."""
    twin = {"size": args.synth_size, "seed": args.twin_seed, "difficulty": args.twin_difficulty}
    corpora = {args.corpus: open_corpus(args.corpus, args.data_dir, **twin)}
    for extra in paper.extra_corpora:
        corpora[extra.name] = open_corpus(extra.name, args.extra_dirs[extra.name], **twin)
    for corpus in corpora.values():
        check_usable(corpus)
    return corpora


def ledger_config(paper: Paper, args: Args, corpora: dict[str, Corpus],
                  tuned: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What a finished unit depends on: the run's identity (corpora with their fingerprints and data kind, profile,
    epochs, keyed settings, backend, versions, code), the seed, the tuned points and the flags that change a unit."""
    return {"seed": args.seed, "tuned": tuned, "no_search": args.no_search, "whole_passes": args.whole_passes,
            "identity": run_identity(paper, args, corpora)}


def resolve_tuning(paper: Paper, args: Args, corpora: dict[str, Corpus]) -> dict[str, dict[str, Any]]:
    """``--from-tuning NAME``: ``{target: config}`` for the one target that search tuned, refused unless the search
    ran under this run's identity and its point fits the space."""
    if not args.from_tuning:
        return {}
    from common.tuning import best_hyperparameters, check_identity, config_of, search_meta

    meta = search_meta(paper.name, args.from_tuning, args.report_dir)
    target = meta.get("target")
    if target not in paper.searches:
        raise ConfigError(f"--from-tuning {args.from_tuning}: the search tuned {target!r}, which is not a target "
                          f"of {paper.name} ({', '.join(paper.searches)})")
    check_identity(meta, run_identity(paper, args, corpora), f"--from-tuning {args.from_tuning}",
                   "tune again under this run's settings (--tune)")
    values = best_hyperparameters(paper.name, args.from_tuning, args.report_dir)
    return {target: config_of(lambda hp: paper.searches[target].declare(hp, args), values,
                              f"--from-tuning {args.from_tuning}: the best point {values}")}


def tune(session: Session, data: Any, search: Search, name: str | None = None) -> str:
    """Search ``search.target`` with keras-tuner, scoring each point with the paper's own training; -> its name."""
    from common.tuning import parse_objective, run_search

    paper, args = session.paper, session.args
    if paper.train_and_score is None:
        raise ConfigError(f"{paper.name} declares searches but no train_and_score")
    split = search.split(session, data)
    kind = args.tuner or search.tuner
    name = name or args.search_name or f"{slug(search.target)}-{kind}-{args.profile}"
    trials = args.trials or search.trials.get(args.profile, 3)
    rehearsal = next((o for o in session.units.observers if isinstance(o, Rehearsal)), None)
    if rehearsal is not None:  # the first trial stands for all of them
        rehearsal.repeats, trials = trials, 1

    def score(config: dict[str, Any], epochs: int | None) -> dict[str, float]:
        # Hyperband hands each trial its own epoch cap
        return paper.train_and_score(replace(session, trial_epochs=epochs), data, search.target, config, split)

    try:
        run_search(paper.name, name, lambda hp: search.declare(hp, args), score,
                   parse_objective(args.objective, search.objective), kind=kind, max_trials=trials, out=session.out,
                   seed=args.seed, epochs=args.epochs, executions_per_trial=args.executions_per_trial,
                   meta={"target": search.target, "corpus": args.corpus, "data": session.origin,
                         "profile": args.profile, "source": search.source,
                         "identity": run_identity(paper, args, session.corpora)}, verbose=session.verbose)
    finally:
        if rehearsal is not None:
            rehearsal.repeats = 1
    return name


def profile_searches(session: Session, data: Any, sittings: Sittings) -> bool:
    """The searches this profile runs before the protocol (``Search.in_profile``) and the run needs
    (``Search.needed``), unless ``--no-search`` or ``--from-tuning`` already set the target; each best point is
    applied to its own target only. True if any ran. With ``--units-per-process``, a process that trained a
    search hands over before the next one (:mod:`common.engine.sittings`)."""
    from common.tuning import best_hyperparameters, config_of

    args = session.args
    ran = False
    for search in session.paper.searches.values():
        if args.no_search or args.profile not in search.in_profile or search.target in session.tuned \
                or not search.needed(args.settings):
            continue
        hand_over_after_training(session, sittings, "a search")
        name = tune(session, data, search, name=profile_search_name(
            slug(search.target), args, run_identity(session.paper, args, session.corpora)))
        values = best_hyperparameters(session.paper.name, name, session.out)
        session.tuned[search.target] = config_of(lambda hp, s=search: s.declare(hp, args), values)
        session.tuned_source[search.target] = f"search:{name}"
        ran = True
    return ran


def hand_over_after_training(session: Session, sittings: Sittings, what: str) -> None:
    """When this process trained something and the run goes in sittings, ``what`` (a search, the protocol) starts
    in a fresh process."""
    if session.args.units_per_process and session.units.trained:
        sittings.end(f"this process trained {session.units.trained} models before {what}")


def write_warnings(session: Session, path: Path) -> None:
    """``training-warnings[-<corpus>].md``: every unit whose kept model looked undertrained (removed when none), and
    one console line that points to it (INFO where the profile undertrains by design, else a WARNING)."""
    warnings = session.units.warnings
    if not warnings:
        path.unlink(missing_ok=True)
        return
    lines = [f"# {session.paper.name} on {session.args.corpus}: units whose kept model looks undertrained", "",
             "Checked per unit by common.training.curves.undertraining (best epoch among the first few, training "
             "metric at the kept epoch far below its final value, validation swings wider than the set width).", ""]
    atomic_write_text(path, "\n".join([*lines, *(f"- {w}" for w in warnings)]) + "\n")
    if session.units.undertraining_expected:
        log.info("%d trained models look possibly undertrained, as expected of the %s profile's few epochs; "
                 "see %s", len(warnings), session.args.profile, path)
    else:
        log.warning("%d trained models look possibly undertrained; see %s", len(warnings), path)


def run_experiments(session: Session, data: Any) -> None:
    """Every experiment in order, each writing the tables when it ends; an experiment gets what the earlier ones it
    names in ``consumes`` produced."""
    paper, ledger = session.paper, session.units.ledger
    products: dict[str, Any] = {}
    for experiment in paper.experiments:
        ledger.take_touched()
        rows, products[experiment.name] = experiment.outcome(session, data, products)
        computed_by = ledger.take_touched()
        for r in rows:
            session.store.add(r.table, r.row, r.column, r.metric, r.values, variant=r.variant, split=r.split,
                              note=r.note, hp_source=r.hp_source, computed_by=computed_by,
                              evidence=r.evidence)
        session.store.write()
        log.info("%s: %s done (%d rows)", paper.name, experiment.name, len(rows))


def open_rehearsal(paper: Paper, args: Args, ctx: RunContext, ledger: Ledger,
                   report_dir: Path) -> Rehearsal:
    """``--rehearse``: the rehearsal an earlier sitting left unfinished, or a new one (which rehearses every unit,
    searches included, again)."""
    def report_name(suffix: str) -> str:
        return paper.report_name("rehearsal", args.corpus, suffix)

    def checkpoint(r: Rehearsal) -> None:
        r.report(args.corpus, ctx, report_dir, report_name, complete=False)

    state = ledger.root / STATE_FILE
    rehearsal = None if args.fresh else Rehearsal.resume(state, ctx.commit, checkpoint)
    if rehearsal is None:
        rehearsal, ledger.fresh = Rehearsal(checkpoint=checkpoint, state_path=state, commits=[ctx.commit]), True
        shutil.rmtree(ledger.root.parents[1] / "tuning", ignore_errors=True)
    else:
        log.info("rehearsal: resuming (sitting %d); %d units timed before", rehearsal.sittings, len(rehearsal.units))
    if args.whole_passes:
        rehearsal.pass_sample = None
    return rehearsal


def run(paper: Paper, argv: list[str] | None = None, hand_over: HandOver = continue_in_fresh_process) -> int:
    """Everything ``python reproductions/<paper>/run.py [flags]`` does. ``hand_over(reason)`` continues a run in
    sittings (``--units-per-process``) in a fresh process; it never returns."""
    started = time.monotonic()
    args = parse(paper, argv)
    configure_threads()
    corpora = open_corpora(paper, args)
    corpus = corpora[args.corpus]
    tuned = resolve_tuning(paper, args, corpora)
    out, report_dir = args.out, args.report_dir
    out.mkdir(parents=True, exist_ok=True)
    from common.provenance import git_commit, keras_backend

    write_config(report_dir / "config.yaml", config_of(args, paper.name, keras_backend(), git_commit(),
                                                             len(paper.corpora) > 1))
    ctx = RunContext.from_args(args, paper.name, corpus, paper.split,
                               also=tuple(c for n, c in corpora.items() if n != args.corpus),
                               profile=paper.profiles[args.profile])
    if args.rehearse:
        ctx = replace(ctx, profile=f"{args.profile}-rehearsal")
    ledger = Ledger(out, ledger_config(paper, args, corpora, tuned), fresh=args.fresh)
    rehearsal = open_rehearsal(paper, args, ctx, ledger, report_dir) if args.rehearse else None
    cost = [rehearsal] if rehearsal is not None else []
    outputs = Outputs(out, tensorboard=args.tensorboard, save_models=args.save_models)
    sittings = Sittings(0, cost, hand_over)  # searches: one sitting each, however many trials
    units = Units(ledger, [*cost, outputs, sittings], undertraining_expected=args.profile in UNDERTRAINED_BY_DESIGN)
    session = Session(paper, args, corpus, corpora, units,
                      ResultsStore(ctx, out, paper.flaws), tuned, {t: f"tuning:{args.from_tuning}" for t in tuned})
    prepare_started = time.monotonic()
    data = paper.prepare(session)
    if rehearsal is not None and rehearsal.sittings == 1:  # a resumed one keeps the first's
        rehearsal.prepare_seconds = time.monotonic() - prepare_started
    if args.tune:
        tune(session, data, paper.searches[args.target])
        return 0
    if profile_searches(session, data, sittings):  # the units now depend on the points the searches found
        ledger = Ledger(out, ledger_config(paper, args, corpora, session.tuned), fresh=ledger.fresh)
    hand_over_after_training(session, sittings, "the protocol")
    units = Units(ledger, [*cost, outputs, Sittings(args.units_per_process, cost, hand_over)],
                  session.units.warnings, session.units.undertraining_expected)
    session = replace(session, units=units)
    run_experiments(session, data)
    write_warnings(session, out / paper.report_name("training-warnings", args.corpus))
    write_markdown(paper.name, out)  # the page shows the warnings of this run
    if rehearsal is not None:
        path = rehearsal.report(args.corpus, ctx, report_dir, lambda suffix: paper.report_name("rehearsal",
                                                                                               args.corpus, suffix))
        log.info("rehearsal: %d units, peak RSS %.2f GiB; %s", len(rehearsal.units), rehearsal.peak_gib, path)
    log.info("%s %s profile on %s %s data: %d units computed, %d reused, %.0f s; results in %s", paper.name,
             args.profile, session.origin, "+".join(corpora), ledger.computed, ledger.reused,
             time.monotonic() - started, out / "results.md")
    return 0
