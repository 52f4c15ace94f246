/**
 * The guardrail catalogue, one rule per file, in id order. To add a rule: a new `bgNNN-<what>.ts` with
 * `defineRule({ id, title, severity, refuses, reads, covers, fix, check })`, listed here, a planted violation in the
 * guardrails spec, and `npm run docs:guardrails` to regenerate docs/guardrails.md.
 */
import { BG001 } from './bg001-naming';
import { BG002 } from './bg002-cost-tags';
import { BG003 } from './bg003-no-vpc-endpoints';
import { BG004 } from './bg004-no-kms-on-log-groups';
import { BG005 } from './bg005-no-prevent-destroy';
import { BG006 } from './bg006-no-secret-rotation';
import { BG007 } from './bg007-encryption-at-rest';
import { BG008 } from './bg008-no-public-ips';
import { BG009 } from './bg009-iam-no-wildcard-resource';
import { BG010 } from './bg010-https-listeners';
import { BG011 } from './bg011-deletion-protection';
import { BG012 } from './bg012-no-internet-ingress';
import { BG013 } from './bg013-log-retention';
import { BG014 } from './bg014-drop-invalid-headers';
import { BG015 } from './bg015-s3-public-access-block';
import { BG016 } from './bg016-backup-retention';

export const RULES = [BG001, BG002, BG003, BG004, BG005, BG006, BG007, BG008, BG009, BG010, BG011, BG012, BG013, BG014, BG015, BG016] as const;
