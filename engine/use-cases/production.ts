import { environmentOf, productionNameMatches } from '../../shared/connections/environment';
import type { Environment } from '../../shared/connections/environment';
import { AppError } from '../../shared/errors/errors';

/** How the front door asks for the name: the app's Confirm field, the CLI's flag. */
type ProductionAsk = {
  /** The request field (app) or flag (CLI) that carries the typed name. */
  field: string;
  /** What to do, after `"NAME" is a production connection: `. */
  nextStep: string;
};

const APP_ASK: ProductionAsk = {
  field: 'confirmName',
  nextStep: 'type its name to confirm the run.',
};

/**
 * The one rule for every write to a server (apply, resume, and the apply of an undo plan), in the
 * app and the CLI: a connection labelled production is written to only when its name was typed
 * back (trimmed, exactly). Throws `invalid_request` otherwise; does nothing for other labels.
 */
export function checkProductionWrite(
  profile: { name: string; environment?: Environment | undefined; kind?: 'remote' | 'sandbox' },
  typed: string | undefined,
  ask: ProductionAsk = APP_ASK,
): void {
  if (environmentOf(profile).label !== 'production') return;
  if (productionNameMatches(profile.name, typed)) return;
  throw new AppError(
    'invalid_request',
    `"${profile.name}" is a production connection: ${ask.nextStep}`,
    { fields: [ask.field] },
  );
}
