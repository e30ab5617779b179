import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import { AppError } from '../errors';

/**
 * Checks the run's vendor safety settings against the catalog before anything is created: each
 * key must be a picked target whose model has a `safety` control, and each value must fit it (a
 * whole number in the level's range, or on/off for a checker). Bad input changes nothing.
 */
export function checkSafetyParams(targets: string[], safety: Record<string, number | boolean> | undefined): void {
  for (const [targetId, value] of Object.entries(safety ?? {})) {
    const control = targets.includes(targetId) ? findTarget(targetId)?.capabilities.safety : undefined;
    const field = `safety.${targetId}`;
    if (!control) {
      throw new AppError('invalid_input', `${targetId} has no safety setting to choose in this run.`, {
        fields: { [field]: 'Not available.' },
      });
    }
    if (control.kind === 'level' && (typeof value !== 'number' || value < control.min || value > control.max)) {
      throw new AppError(
        'invalid_input',
        `${control.field} for ${targetId} must be a whole number from ${control.min} to ${control.max}.`,
        {
          fields: { [field]: `${control.min}–${control.max}.` },
        },
      );
    }
    if (control.kind === 'checker' && typeof value !== 'boolean') {
      throw new AppError('invalid_input', `The safety checker for ${targetId} is on or off.`, { fields: { [field]: 'On or off.' } });
    }
  }
}
