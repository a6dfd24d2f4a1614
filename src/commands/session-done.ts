/**
 * After a session was written for the AWS CLI: make sure the CLI can use it. A session profile
 * without a region gets the one the user gave (or the long-term profile has) in `[profile NAME]`
 * of the config file; otherwise a warning says how to set one. A credentials file with a UTF-8 BOM
 * cannot be read by the AWS CLI (botocore): say so plainly, with the fix (the session store's write
 * says whether the file has one, so nothing here reads a file again).
 */
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { ResolvedProfile } from '../core/profile.js';
import { readProfiles, writeProfileTo } from '../io/store.js';

/** Returns false when the CLI cannot read the file (the caller then says no "Success"). */
export async function afterWrite(p: ResolvedProfile, ctx: Context, bom: boolean): Promise<boolean> {
  const section = p.names.shortTerm;
  const own = readProfiles(p.paths.config, 'config', [section], ctx.env).profiles.get(section);
  if (!own?.get('region') && !ctx.env.AWS_REGION && !ctx.env.AWS_DEFAULT_REGION) {
    if (p.region.configured) {
      await writeProfileTo(p.paths.config, section, 'config', [['region', p.region.value]]);
      // the session profile has no region of its own, so one from the files is the long-term profile's: name its
      // section
      const copied = p.region.copiedFrom;
      ctx.log.info(
        copied
          ? t('region.copied', { region: p.region.value, from: copied, section, file: p.paths.config })
          : t('region.written', { region: p.region.value, source: p.region.source, section, file: p.paths.config }),
      );
    } else {
      ctx.log.warn(t('region.none', { section, region: p.region.value }));
    }
  }
  // the read warned about the BOM, with the fix (file.bom): here only what it means for this session
  if (bom) ctx.log.info(t('files.bomAfterWrite', { file: p.paths.credentials, section }));
  return !bom;
}
