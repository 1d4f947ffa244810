/** Adding skills from connected providers: their actions (provision) or their connector pack. */
import { useState } from 'react';
import { api } from '../api.ts';
import { Dialog, ErrorNote, Spinner, useAction, useLoad } from '../controls.tsx';
import type { CatalogItem, Connection } from '../types.ts';

interface Props {
  agentId: string;
  catalog: CatalogItem[];
  connections: Connection[];
  onAdded: () => void;
}

export function AddSkills({ agentId, catalog, connections, onAdded }: Props) {
  const [dialog, setDialog] = useState<{ type: 'provision' | 'pack'; provider: CatalogItem } | null>(null);
  const closeAndRefresh = () => {
    setDialog(null);
    onAdded();
  };
  const connected = catalog.filter((p) =>
    connections.some((c) => c.kind === p.kind && c.status === 'connected'),
  );
  if (connected.length === 0) return <p className="muted">Connect an integration first.</p>;
  return (
    <div className="row wrap">
      {connected.map((p) => (
        <span key={p.kind} className="actions">
          {p.actionCount > 0 && (
            <button
              type="button"
              className="secondary"
              onClick={() => setDialog({ type: 'provision', provider: p })}
            >
              {p.name} actions…
            </button>
          )}
          {p.hasPack && (
            <button
              type="button"
              className="secondary"
              onClick={() => setDialog({ type: 'pack', provider: p })}
            >
              Install {p.name} pack…
            </button>
          )}
        </span>
      ))}
      {dialog && (
        <Dialog
          title={dialog.type === 'pack' ? `${dialog.provider.name} pack` : `${dialog.provider.name} actions`}
          onClose={() => setDialog(null)}
        >
          {dialog.type === 'pack' ? (
            <PackPicker agentId={agentId} kind={dialog.provider.kind} done={closeAndRefresh} />
          ) : (
            <ActionPicker agentId={agentId} kind={dialog.provider.kind} done={closeAndRefresh} />
          )}
        </Dialog>
      )}
    </div>
  );
}

interface Choice {
  slug: string;
  name: string;
  description: string;
  preselected: boolean;
  installed?: boolean;
}

function Picker({
  choices,
  submitLabel,
  onSubmit,
}: {
  choices: Choice[];
  submitLabel: string;
  onSubmit: (slugs: string[]) => Promise<void>;
}) {
  const [picked, setPicked] = useState<string[]>(choices.filter((c) => c.preselected).map((c) => c.slug));
  const submit = useAction(onSubmit);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(picked);
      }}
    >
      <ul className="choices">
        {choices.map((c) => (
          <li key={c.slug}>
            <label className="inline">
              <input
                type="checkbox"
                checked={picked.includes(c.slug)}
                onChange={(e) =>
                  setPicked(e.target.checked ? [...picked, c.slug] : picked.filter((x) => x !== c.slug))
                }
              />{' '}
              <strong>{c.name}</strong> {c.installed && <span className="badge">installed</span>}
            </label>
            <small className="muted">{c.description}</small>
          </li>
        ))}
      </ul>
      <ErrorNote error={submit.error} />
      <button type="submit" disabled={submit.busy || picked.length === 0}>
        {submitLabel}
      </button>
    </form>
  );
}

function ActionPicker({ agentId, kind, done }: { agentId: string; kind: string; done: () => void }) {
  const actions = useLoad(
    () =>
      api<{ slug: string; name: string; description: string; important: boolean }[]>(
        'GET',
        `/integrations/${kind}/actions`,
      ),
    [kind],
  );
  if (!actions.data)
    return actions.error ? <ErrorNote error={actions.error} /> : <Spinner label="Loading actions…" />;
  return (
    <Picker
      choices={actions.data.map((a) => ({ ...a, preselected: a.important }))}
      submitLabel="Add to draft"
      onSubmit={async (slugs) => {
        await api('POST', `/agents/${agentId}/integrations/${kind}/provision`, { actions: slugs });
        done();
      }}
    />
  );
}

function PackPicker({ agentId, kind, done }: { agentId: string; kind: string; done: () => void }) {
  const pack = useLoad(
    () =>
      api<{
        name: string;
        description: string;
        presets: { slug: string; name: string; description: string; installed: boolean }[];
      }>('GET', `/agents/${agentId}/integrations/${kind}/pack`),
    [kind],
  );
  if (!pack.data)
    return pack.error ? <ErrorNote error={pack.error} /> : <Spinner label="Loading the pack…" />;
  return (
    <>
      <p>{pack.data.description}</p>
      <Picker
        choices={pack.data.presets.map((p) => ({ ...p, preselected: !p.installed }))}
        submitLabel="Install"
        onSubmit={async (slugs) => {
          await api('POST', `/agents/${agentId}/integrations/${kind}/pack/install`, { presets: slugs });
          done();
        }}
      />
    </>
  );
}
