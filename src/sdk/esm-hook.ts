// Registers import-in-the-middle's ESM loader hook for the modules we instrument. In-thread
// (module.registerHooks) where Node supports it, which saves the loader thread's start-up; otherwise
// the loader thread, told over a message channel which modules our instrumentations hook.
export type EsmHookState = 'registered' | 'failed' | 'skipped';

export interface EsmHook {
  readonly state: EsmHookState;
  readonly error?: string;
  /** Resolves once the loader knows every hooked module; the app's first import must wait for it. */
  readonly acknowledged?: () => Promise<void>;
}

/**
 * `include` lists the module names our instrumentations will hook, when we know them up front; with
 * an instrumentation of unknown modules (from the optional bundle) it is undefined and the loader
 * learns them from the instrumentations as they register.
 */
export async function registerEsmHook(include: readonly string[] | undefined): Promise<EsmHook> {
  try {
    if (include !== undefined) {
      const sync = await import('import-in-the-middle/register-hooks.mjs');
      if (sync.supportsSyncHooks()) {
        sync.register({ include: [...include] });
        return { state: 'registered' };
      }
    }
    const { register } = await import('node:module');
    const { createAddHookMessageChannel } = await import('import-in-the-middle');
    const channel = createAddHookMessageChannel();
    register('import-in-the-middle/hook.mjs', import.meta.url, channel.registerOptions);
    return { state: 'registered', acknowledged: channel.waitForAllMessagesAcknowledged };
  } catch (err) {
    return { state: 'failed', error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
