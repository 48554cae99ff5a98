import { useState } from 'react';
import { describeError } from '../../../shared/errors/describe';
import type { ErrorPayload } from '../../../shared/errors/payload';

type ErrorNoticeProps = {
  error: ErrorPayload;
  /** Short heading, e.g. "Connection test failed". */
  title?: string;
};

/**
 * An error as the user should see it: one sentence, what to do next, and the raw server
 * answer behind a disclosure (never a stack trace or "[object Object]").
 */
export function ErrorNotice({ error, title }: ErrorNoticeProps) {
  const { sentence, nextStep, raw: rawAnswer } = describeError(error);
  const raw = rawAnswer === undefined ? undefined : prettyJson(rawAnswer);
  const [copied, setCopied] = useState(false);
  const request = [error.method, error.url].filter(Boolean).join(' ');

  return (
    <div className="error-notice" role="alert">
      {title && <p className="error-title">{title}</p>}
      <p className="error-sentence">{sentence}</p>
      <p className="error-next">
        <span className="label">Next step: </span>
        {nextStep}
      </p>
      {(raw !== undefined || request !== '') && (
        <details className="error-raw">
          <summary>Show the raw answer</summary>
          {request !== '' && (
            <p className="error-request">
              <span className="label">Request: </span>
              <code>{request}</code>
              {error.status !== undefined && <> → HTTP {error.status}</>}
            </p>
          )}
          {raw !== undefined && (
            <>
              <pre tabIndex={0} aria-label="Raw server answer">
                {raw}
              </pre>
              <button
                type="button"
                className="button ghost small"
                onClick={() => {
                  navigator.clipboard.writeText(raw).then(
                    () => {
                      setCopied(true);
                    },
                    () => {
                      setCopied(false);
                    },
                  );
                }}
              >
                {copied ? 'Copied' : 'Copy raw answer'}
              </button>
            </>
          )}
        </details>
      )}
    </div>
  );
}

/** SCIM error bodies are JSON (RFC 7644 §3.12); indent them so they are readable. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
