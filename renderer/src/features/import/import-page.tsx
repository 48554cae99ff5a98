/** Placeholder: the import screen. */
export function ImportPage() {
  return <p className="muted">Coming soon.</p>;
}
