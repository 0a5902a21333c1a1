import { existsSync } from 'node:fs';
import express, { type Request, type Response, type Router } from 'express';
import { type Viewer } from '../auth/viewer';
import { viewerFromAuthorization } from '../auth/tokens';
import { html } from './html';
import { page } from './layout';
import type { PageRequest, WebDeps } from './deps';
import { clearTokenCookie, sameOrigin, setTokenCookie, viewerOfCookie } from './session';
import { searchPage, searchParams } from './pages/search';
import { merchantPage } from './pages/merchant';
import { reportPage } from './pages/report';
import { answerComplaint, mePage } from './pages/me';
import { boardLive, boardPage } from './pages/board';
import { graphiqlPage } from './pages/graphiql';
import { signInForm } from './pages/sign-in';

/** A posted form: its fields as express.urlencoded parsed them. */
type FormRequest = Request<Record<string, string>, string, Record<string, unknown>>;

function text(value: unknown): string | undefined {
  const one = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof one === 'string' && one.trim() !== '' ? one.trim() : undefined;
}

function list(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function send(res: Response, rendered: { status: number; body: string }): void {
  // Pages show what the viewer may see, and change with every write: no shared cache keeps them.
  res.status(rendered.status).set('cache-control', 'private, no-store').type('html').send(rendered.body);
}

/**
 * The site's routes: public pages, the merchant's and the supervisor's pages behind the token
 * cookie, the explorer and the built assets. Every page's data comes from `deps.run`.
 */
export function webRouter(deps: WebDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const request = async (req: Request, res: Response, viewer?: Viewer): Promise<PageRequest> => ({ req, res, viewer: viewer ?? (await viewerOfCookie(req, deps.verify)) });

  if (existsSync(deps.assetsDir)) {
    // Built files keep their names across builds; a day's caching with revalidation is safe.
    router.use('/assets', express.static(deps.assetsDir, { maxAge: '1d', index: false, fallthrough: false }));
  } else {
    deps.log.warn({ assetsDir: deps.assetsDir }, 'web assets are not built (web/build.mjs): pages work, their scripts and styles do not');
  }

  router.get('/', async (req, res) => {
    send(res, await searchPage(deps, await request(req, res), searchParams(req.query)));
  });
  router.get('/m/:uscc', async (req, res) => {
    const uscc = String(req.params.uscc).toUpperCase();
    send(res, await merchantPage(deps, await request(req, res), uscc, { receivedOn: text(req.query.receivedOn), goods: text(req.query.goods) }));
  });
  router.get('/report/:year/:region', async (req, res) => {
    send(res, await reportPage(deps, await request(req, res), String(req.params.year), String(req.params.region)));
  });

  router.post('/sign-in', form, async (req: FormRequest, res) => {
    const next = text(req.body.next) === '/board' ? '/board' : '/me';
    if (!sameOrigin(req)) {
      res.status(403).type('text').send('cross-site form post refused');
      return;
    }
    const token = text(req.body.token)?.replace(/^Bearer\s+/i, '');
    try {
      if (!token) throw new Error('missing');
      await viewerFromAuthorization(`Bearer ${token}`, deps.verify);
    } catch {
      const body = html`<h1>${next === '/me' ? '商户主页' : '监管看板'}</h1>${signInForm(next, next === '/me' ? '商户' : '监管人员', '令牌无效或已过期。')}`;
      send(res, { status: 401, body: page({ title: '登录', current: next === '/me' ? 'me' : 'board' }, body) });
      return;
    }
    setTokenCookie(req, res, token);
    res.redirect(303, next);
  });
  router.post('/sign-out', form, (req, res) => {
    if (!sameOrigin(req)) {
      res.status(403).type('text').send('cross-site form post refused');
      return;
    }
    clearTokenCookie(res);
    res.redirect(303, '/');
  });

  router.get('/me', async (req, res) => {
    send(res, await mePage(deps, await request(req, res), { merchant: text(req.query.merchant), steps: list(req.query.step), answered: text(req.query.answered) }));
  });
  router.post('/me/answer', form, async (req: FormRequest, res) => {
    if (!sameOrigin(req)) {
      res.status(403).type('text').send('cross-site form post refused');
      return;
    }
    const pageRequest = await request(req, res);
    const appealId = text(req.body.appealId) ?? '';
    const outcome = await answerComplaint(deps, pageRequest, appealId, typeof req.body.body === 'string' ? req.body.body : '');
    if (outcome.ok) {
      // Post/redirect/get: a reload does not answer twice.
      res.redirect(303, `/me?answered=${encodeURIComponent(appealId)}#appeal-${encodeURIComponent(appealId)}`);
      return;
    }
    const rendered = await mePage(deps, pageRequest, { steps: [], error: outcome.message });
    send(res, { status: 400, body: rendered.body });
  });

  router.get('/board', async (req, res) => {
    send(res, await boardPage(deps, await request(req, res)));
  });
  router.get('/board/live', async (req, res) => {
    const pageRequest = await request(req, res);
    if (pageRequest.viewer.role !== 'SUPERVISOR' && pageRequest.viewer.role !== 'ADMIN') {
      res.status(401).type('text').send('sign in at /board');
      return;
    }
    const live = await boardLive(deps, pageRequest);
    send(res, { status: live.status, body: live.body.text });
  });

  router.get('/graphiql', (_req, res) => {
    if (!deps.graphiql) {
      res.status(404).type('text').send('GraphiQL is off (NODE_ENV=production); set GRAPHIQL=true to serve it');
      return;
    }
    send(res, { status: 200, body: graphiqlPage() });
  });
  return router;
}
