import type { RequestScope } from '../../context';

/** Use cases of funds (see the module's resolver). */
export class FundService {
  constructor(private readonly scope: RequestScope) {}
}
