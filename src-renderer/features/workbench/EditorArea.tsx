import type { MouseEvent } from 'react'
import { attributeOf } from '@shared/model/names'
import { useProject } from '../../state/project'
import { activateTab, closeTab, locatePv, parseTabKey, useWorkbench } from '../../state/workbench'
import type { TabRef } from '../../state/workbench'
import { typeGlyph } from '../pvs/tree-rows'
import { CodeEditor } from '../hooks/CodeEditor'
import { PvEditor } from '../pv-editor/PvEditor'
import { CloseIcon, CodeIcon } from '../shell/icons'
import { viewById } from './registry'

const CODE_TITLES = { imports: 'imports.py', helpers: 'helpers.py', ainit: '__ainit__' } as const

/** The main area: one tab per open PV form, hook, group code or project view. */
export function EditorArea() {
  const tabs = useWorkbench((s) => s.tabs)
  const active = useWorkbench((s) => s.active)
  const ref = active ? parseTabKey(active) : null
  return (
    <section className="editor" aria-label="Editor">
      <div className="tab-strip" role="tablist" aria-label="Open editors">
        {tabs.map((key) => (
          <Tab key={key} tabKey={key} active={key === active} />
        ))}
      </div>
      <div className="tab-body" role="tabpanel" aria-label="Open editor">
        {ref ? (
          <TabContent tab={ref} />
        ) : (
          <div className="panel-empty">Open a PV from the tree, or a view.</div>
        )}
      </div>
    </section>
  )
}

function TabContent({ tab }: { tab: TabRef }) {
  switch (tab.kind) {
    case 'pv':
      return <PvEditor key={tab.pvId} pvId={tab.pvId} />
    case 'hook':
      return <CodeEditor key={`${tab.pvId}:${tab.hook}`} context={tab} />
    case 'code':
      return <CodeEditor key={tab.part} context={tab} />
    case 'view': {
      const view = viewById(tab.view)
      return view ? (
        <view.Component />
      ) : (
        <div className="panel-empty">Nothing registered as “{tab.view}”.</div>
      )
    }
  }
}

function Tab({ tabKey, active }: { tabKey: string; active: boolean }) {
  const project = useProject()
  const ref = parseTabKey(tabKey)
  if (!ref || !project) return null
  let title: string
  let icon = <CodeIcon />
  if (ref.kind === 'pv' || ref.kind === 'hook') {
    const pv = locatePv(project, ref.pvId)?.pv
    title = pv ? (ref.kind === 'pv' ? pv.name : `${attributeOf(pv)}.${ref.hook}`) : '(deleted)'
    if (ref.kind === 'pv' && pv) {
      icon = (
        <span className="type-icon" data-type={pv.type} aria-hidden="true">
          {typeGlyph(pv.type, (pv.maxLength ?? 1) > 1 && pv.type !== 'LONG_STRING')}
        </span>
      )
    }
  } else if (ref.kind === 'code') title = CODE_TITLES[ref.part]
  else {
    const view = viewById(ref.view)
    title = view?.title ?? ref.view
    if (view) icon = <view.Icon />
  }
  const close = (event: MouseEvent) => {
    event.stopPropagation()
    closeTab(tabKey)
  }
  return (
    <div
      className={active ? 'tab active' : 'tab'}
      role="tab"
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      data-key={tabKey}
      onClick={() => activateTab(tabKey)}
      onAuxClick={(e) => e.button === 1 && close(e)}
      onKeyDown={(e) => {
        if (e.key === 'Delete') closeTab(tabKey)
      }}
    >
      {icon}
      <span className="tab-title">{title}</span>
      <button className="tab-close" aria-label={`Close ${title}`} title="Close" tabIndex={-1} onClick={close}>
        <CloseIcon />
      </button>
    </div>
  )
}
