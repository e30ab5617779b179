/** Says plainly what the offline engine is, and what it understands. */
export function EngineHelp({ examples }: { examples: string[] }) {
  return (
    <details className="rounded-md border border-line bg-panel px-3 py-2 text-xs text-muted">
      <summary className="cursor-pointer font-medium text-ink">About the offline engine</summary>
      <p className="mt-2 leading-relaxed">
        A deterministic image editor running on this server: not a generative model, and no key needed. The same seed gives the same pixels;
        other seeds vary what the instruction leaves open (shade, shadow, placement). It understands:
      </p>
      <ul className="mt-1.5 list-disc space-y-0.5 pl-4">
        {examples.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </details>
  );
}
