/** Placeholder (helper B): progress and results of a running apply job. */
export function RunMonitor(props: { jobId: string; connectionId: string; onClose?: () => void }) {
  return <p className="muted">Job {props.jobId}</p>;
}
