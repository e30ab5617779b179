import type { ReviewItemDto } from '@/lib/schemas/review';

/** What was asked for: the instruction and the reference images behind an item (served through the link). */
export function ItemDetails({ details }: { details: NonNullable<ReviewItemDto['details']> }) {
  return (
    <section aria-label="Details" className="mt-3 space-y-2 rounded-lg border border-line bg-panel p-3 text-sm">
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-faint uppercase">Instruction</h3>
        <p className="mt-0.5 whitespace-pre-wrap break-words text-ink">{details.instruction}</p>
      </div>
      {details.negativePrompt && (
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-faint uppercase">Avoid</h3>
          <p className="mt-0.5 whitespace-pre-wrap break-words text-muted">{details.negativePrompt}</p>
        </div>
      )}
      {details.references.length > 0 && (
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-faint uppercase">References</h3>
          <ul className="mt-1 flex flex-wrap gap-2">
            {details.references.map((r) => (
              <li key={r.url}>
                <img src={r.url} alt={r.label} className="checker size-20 rounded-md object-contain" loading="lazy" />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
