// The constants the command line shows before anything is loaded: the format rules of the service
// name, the image and the instance type, and the defaults named in `--help`. The flags and a
// `--config` service.json are checked by these same rules (eas-deploy.ts, service-config.ts).

import { DEFAULT_MAX_LENGTH } from '../../lib/options.js'

export const SERVICE_NAME_RE = /^[a-z0-9_]{3,63}$/
export const SERVICE_NAME_HINT = '3-63 lower-case letters, digits or underscores (no hyphens)'

/** An image reference: no spaces, quotes or shell metacharacters. */
export const IMAGE_RE = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/
export const IMAGE_MAX_LENGTH = 512
export const IMAGE_HINT = 'an image reference such as registry/namespace/name:tag (letters, digits and . _ / : @ + -)'

export const INSTANCE_TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
export const INSTANCE_TYPE_MAX_LENGTH = DEFAULT_MAX_LENGTH
export const INSTANCE_TYPE_HINT = 'an instance type such as ecs.gn7i-c16g1.4xlarge'

export const DEFAULTS = { replicas: 1, port: 8000, mountPath: '/model_dir', netType: 'intranet', fallbackListenerPort: 9000 } as const
