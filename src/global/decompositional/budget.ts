/**
 * The time budget of a rule search and what it cut: a clock started with the extraction, checked
 * at the search's own checkpoints, and a list of sentences saying what a time or size limit left
 * out. The sentences end up in the rule set (`provenance.options.budgetCut`), where `rules show`
 * prints them, so that a reader knows the search did not run to the end.
 */

/** A search clock with a deadline, and the record of what a budget cut. */
export interface SearchBudget {
  /** The budget in seconds. */
  readonly seconds: number;
  /** Seconds since the budget started. */
  elapsed(): number;
  /** Whether `share` (0..1, default 1) of the time budget is spent. */
  spent(share?: number): boolean;
  /** Records that a limit cut the search (one sentence, e.g. "time: the 60 s budget ..."). */
  cut(note: string): void;
  /** The sentences recorded, joined, or null when nothing was cut. */
  note(): string | null;
}

/**
 * A budget of `maxSeconds` seconds, starting now. `now` (milliseconds) is the clock, replaceable
 * in tests.
 *
 * @example
 * const budget = searchBudget(60);
 * if (budget.spent(0.8)) budget.cut('time: the 60 s budget ran out before layer 1 was rewritten');
 * budget.note(); // 'time: the 60 s budget ran out before layer 1 was rewritten'
 */
export function searchBudget(maxSeconds: number, now: () => number = () => performance.now()): SearchBudget {
  const start = now();
  const notes: string[] = [];
  return {
    seconds: maxSeconds,
    elapsed: () => (now() - start) / 1000,
    spent: (share = 1) => now() - start >= share * maxSeconds * 1000,
    cut: (note) => {
      if (!notes.includes(note)) notes.push(note);
    },
    note: () => (notes.length ? notes.join('; ') : null),
  };
}
