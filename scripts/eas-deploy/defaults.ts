// The constants the command line shows before anything is loaded: the service-name rule and the
// defaults named in `--help` (inputs.ts and service-config.ts apply them).

export const SERVICE_NAME_RE = /^[a-z0-9_]{3,63}$/

export const DEFAULTS = { replicas: 1, port: 8000, mountPath: '/model_dir', netType: 'intranet', fallbackListenerPort: 9000 } as const
