import type { RequestScope } from '../../context';

/** Use cases of pledges (see the module's resolver). */
export class PledgeService {
  constructor(private readonly scope: RequestScope) {}
}
