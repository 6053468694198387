/** A failing hook of the script a session runs, as PythonIoc reports it (`onDidHookError`). */
export type { HookFailureReport as HookError } from '../python/python-ioc'
