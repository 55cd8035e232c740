/** Check boxes choosing which frame sources an analysis compares. */
import type { FrameSource } from './sources.ts';

export function SourcePicker({ sources, chosen, onChange }: { sources: Pick<FrameSource, 'id' | 'label'>[]; chosen: string[]; onChange(ids: string[]): void }) {
  return (
    <fieldset className="source-picker" data-testid="source-picker">
      <legend>compare</legend>
      {sources.map((s) => (
        <label key={s.id}>
          <input type="checkbox" checked={chosen.includes(s.id)} data-source={s.id}
            onChange={(e) => onChange(e.target.checked ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))} />
          {s.label}
        </label>
      ))}
    </fieldset>
  );
}
