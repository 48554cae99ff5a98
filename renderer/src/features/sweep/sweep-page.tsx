/** Placeholder: the sweep screen. */
export function SweepPage() {
  return <p className="muted">Coming soon.</p>;
}
