import { useEffect, useRef, type ReactNode } from 'react';

/** A step's heading; takes focus when the step appears so screen readers announce it. */
export function StepHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h2 id={id} ref={ref} tabIndex={-1} className="import-step-heading">
      {children}
    </h2>
  );
}
