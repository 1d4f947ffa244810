/** One draft skill: enable/disable, edit its description and confirmation, delete (owners), test. */
import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorNote, useAction } from '../controls.tsx';
import { useSession } from '../session.ts';
import type { Skill } from '../types.ts';

interface Props {
  agentId: string;
  skill: Skill;
  onChanged: () => void;
  onTest: () => void;
}

export function SkillRow({ agentId, skill, onChanged, onTest }: Props) {
  const { isOwner } = useSession();
  const [editing, setEditing] = useState(false);
  const [description, setDescription] = useState(skill.description);
  const [confirm, setConfirm] = useState(skill.requiresConfirmation);
  const [deleting, setDeleting] = useState(false);
  const path = `/agents/${agentId}/skills/${skill.id}`;
  const patch = useAction(async (body: Record<string, unknown>) => {
    await api('PATCH', path, body);
    setEditing(false);
    onChanged();
  });
  const remove = useAction(async () => {
    await api('DELETE', path);
    onChanged();
  });
  const source = skill.source.action ?? skill.source.binding ?? skill.skillType;
  return (
    <li className="card skill" data-skill={skill.name}>
      <div className="row spread">
        <div>
          <strong>
            <code>{skill.name}</code>
          </strong>{' '}
          <span className="muted">
            {skill.source.kind ?? ''} · {source}
          </span>{' '}
          {skill.isWrite && <span className="badge write">write</span>}{' '}
          {skill.needsReview && (
            <span className="badge write" title={skill.review?.errors[0]?.message ?? skill.review?.reason}>
              needs review
            </span>
          )}
        </div>
        <div className="actions">
          <label className="inline">
            <input
              type="checkbox"
              checked={skill.isEnabled}
              onChange={(e) => void patch.run({ isEnabled: e.target.checked })}
            />{' '}
            Enabled
          </label>
          <button type="button" className="secondary" onClick={onTest}>
            Test
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setEditing(!editing)}
            aria-expanded={editing}
          >
            Edit
          </button>
          {isOwner && (
            <button type="button" className="secondary" onClick={() => setDeleting(true)}>
              Delete
            </button>
          )}
        </div>
      </div>
      {!editing && <p className="muted">{skill.description}</p>}
      {skill.needsReview && (
        <p className="error" role="status">
          Not served: {skill.review?.reason ?? "the integration's scoping blocks what it uses"}. Save its
          binding again within the scoping, or delete it.
        </p>
      )}
      {editing && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void patch.run({ description, requiresConfirmation: confirm });
          }}
        >
          <label>
            Description (what the model reads)
            <textarea value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label className="inline">
            <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} /> Ask the
            caller to confirm before running
          </label>
          <button type="submit" disabled={patch.busy}>
            Save
          </button>
        </form>
      )}
      {deleting && (
        <p className="confirm">
          Delete <code>{skill.name}</code> from the draft?{' '}
          <button type="button" className="danger" onClick={() => void remove.run()}>
            Yes, delete
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setDeleting(false)}>
            Cancel
          </button>
        </p>
      )}
      <ErrorNote error={patch.error ?? remove.error} />
    </li>
  );
}
