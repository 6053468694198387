import { describe, expect, it } from 'vitest'
import { FILE_DIALOGS } from './file-dialogs'

describe('native file dialogs', () => {
  it('open or save each kind of file, filtered to it', () => {
    expect(FILE_DIALOGS.open).toMatchObject({ mode: 'open', buttonLabel: 'Open' })
    expect(FILE_DIALOGS.open.filters[0].extensions).toEqual(['json', 'py'])
    expect(FILE_DIALOGS['save-project']).toMatchObject({ mode: 'save', filters: [{ extensions: ['json'] }] })
    expect(FILE_DIALOGS['import-script']).toMatchObject({ mode: 'open', filters: [{ extensions: ['py'] }] })
    expect(FILE_DIALOGS['export-script']).toMatchObject({ mode: 'save', filters: [{ extensions: ['py'] }] })
    expect(FILE_DIALOGS['save-project'].filters[0].name).toBe('IOC Studio projects (*.ioc.json)')
  })
})
