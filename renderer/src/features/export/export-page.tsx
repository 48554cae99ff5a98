/** Placeholder: the export screen. */
export function ExportPage() {
  return <p className="muted">Coming soon.</p>;
}
