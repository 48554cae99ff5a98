import { memo } from 'react';
import type { SafeguardStatus } from '../../../../shared/plan/plan-format';
import { describeSafeguards, overrideText } from '../../../../shared/plan/plan-words';

/** The safeguard verdict in words: blocked (with what to type back) or within the limits. */
export const SafeguardNotice = memo(function SafeguardNotice({
  status,
  title,
}: {
  status: SafeguardStatus;
  title: string;
}) {
  const lines = describeSafeguards(status);
  if (status.blocked) {
    return (
      <div className="safeguard-blocked" role="alert">
        <p className="safeguard-title">{title}</p>
        <ul>
          {lines.map((l) => (
            <li key={l.key}>{l.text}</li>
          ))}
        </ul>
        <p>{overrideText(status)}</p>
      </div>
    );
  }
  return (
    <div className="safeguard-ok">
      <p>
        <span className="badge badge-ok">Safeguards OK</span> {lines.map((l) => l.text).join(' ')}
      </p>
    </div>
  );
});
