import {
  ENVIRONMENT_NAMES,
  environmentOf,
  type Environment,
} from '../../../../shared/connections/environment';

/** Black or white text, whichever reads better on the badge colour (WCAG relative luminance). */
function textColourOn(hex: string): '#000000' | '#ffffff' {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

type EnvironmentBadgeProps = {
  /** A profile (or anything with its environment and kind), or the environment itself. */
  of: { environment?: Environment | undefined; kind?: 'remote' | 'sandbox' } | Environment;
  /** The connection's name, shown after the label when given. */
  name?: string | undefined;
  className?: string;
};

/**
 * The environment a connection writes to, as a coloured label ("PRODUCTION · Okta EU").
 * Reusable wherever a connection or a run's target is shown.
 */
export function EnvironmentBadge({ of, name, className }: EnvironmentBadgeProps) {
  const env = 'label' in of ? of : environmentOf(of);
  const word = ENVIRONMENT_NAMES[env.label];
  return (
    <span
      className={`env-badge env-${env.label}${className ? ` ${className}` : ''}`}
      style={{ background: env.colour, color: textColourOn(env.colour) }}
      data-testid="environment-badge"
      data-environment={env.label}
      title={`${word} environment`}
    >
      <span className="env-badge-label">{word}</span>
      {name !== undefined && <span className="env-badge-name">{name}</span>}
    </span>
  );
}
