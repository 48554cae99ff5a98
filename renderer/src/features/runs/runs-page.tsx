/** Placeholder: the runs screen. */
export function RunsPage() {
  return <p className="muted">Coming soon.</p>;
}
