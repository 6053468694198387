/**
 * The published JSON Schema of the project document (docs/project-schema.json), generated from the same shapes
 * the loader validates with. A test keeps the file in step with this function.
 */
import { FORMAT_VERSION, projectShape } from './project'
import { toJsonSchema } from './shape'
import type { JsonSchema } from './shape'

export function projectJsonSchema(): JsonSchema {
  return toJsonSchema(projectShape, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'Generated from src-shared/model/project.ts; do not edit by hand.',
    description:
      `An IOC Studio project (*.ioc.json), format version ${FORMAT_VERSION}. Fields not listed here are ` +
      'allowed and kept when IOC Studio saves the file.',
  })
}
