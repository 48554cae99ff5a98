/** Placeholder (helper B): preview → confirm → run → results of one plan. */
export function PlanFlow(props: { planId: string; connectionId: string; onClose?: () => void }) {
  return <p className="muted">Plan {props.planId}</p>;
}
