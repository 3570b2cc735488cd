#!/usr/bin/env node
/*
 * Checks the CI recipes of recipes/ the way their platforms would read them, and the promises
 * they make to each other.
 *
 *   node check.js [--config dind-init.ini] k8s=FILE... arc=FILE... gitlab=FILE...
 *
 * k8s     every object of a (multi-document) manifest, with kubernetes-models' validator for its
 *         apiVersion and kind
 * arc     values for the gha-runner-scale-set chart: known top-level keys, `template` as a
 *         PodTemplateSpec
 * gitlab  a .gitlab-ci.yml: the keywords GitLab reads, extends, stages, and the Docker
 *         variables of each job that has a service
 *
 * kubernetes-models' JSON schemas, like Kubernetes' own OpenAPI schemas, accept any unknown
 * field, so a typo (`privilegd: true`) would pass them. The schema validator is therefore run on
 * a proxy of each object that records which fields the validator looked at: a field it never
 * read is one the schema does not know. Objects the validator enumerates (maps such as labels)
 * count as fully known.
 *
 * On top of the schemas, what the API server or the kubelet would refuse, or what would quietly
 * not work: init containers' restartPolicy, volume references, $(VAR) references, a startup
 * probe shorter than the `dind-ctl wait` it runs, a grace period shorter than dind-init's
 * shutdown_timeout (read from the dind-init config, the shipped one by default), and clients
 * whose DOCKER_HOST, TLS settings and shared volumes do not match the dind container's.
 *
 * Prints one line per problem ("FILE: PATH: what is wrong") and exits 1 if there is any.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const errors = [];
function fail(file, where, msg) {
	errors.push([file, where, msg].filter(Boolean).join(': '));
}

/* "Pod/x" and "spec.volumes[0]" -> "Pod/x spec.volumes[0]"; "template" and "spec" -> "template.spec" */
function join(where, sub) {
	if (!where || !sub)
		return where || sub;
	return /^[A-Za-z]+\//.test(where) && !where.includes(' ') ? `${where} ${sub}` : `${where}.${sub}`;
}

/* ---- values ---- */

/* "60s", "500ms", "2m", "1h", or a bare number of seconds -> milliseconds; null if invalid. */
function durationMs(text) {
	const m = /^(\d+)(ms|s|m|h)?$/.exec(String(text).trim());
	if (!m)
		return null;
	const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] || 's'];
	return Number(m[1]) * unit;
}

/* The [init] shutdown_timeout and [service:dockerd] stop_timeout of a dind-init config file, with
 * dind-init's defaults for keys the file does not set. */
function readDindConfig(file) {
	const conf = { file, shutdownMs: 30000, dockerdStopMs: 15000 };
	let section = '';
	for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
		const line = raw.replace(/\s;.*$/, '').trim();
		if (!line || line.startsWith(';') || line.startsWith('#'))
			continue;
		const sec = /^\[(.+)\]$/.exec(line);
		if (sec) {
			section = sec[1];
			continue;
		}
		const kv = /^([a-z_]+)\s*=\s*(.*)$/.exec(line);
		if (!kv)
			continue;
		if (section === 'init' && kv[1] === 'shutdown_timeout')
			conf.shutdownMs = durationMs(kv[2]);
		if (section === 'service:dockerd' && kv[1] === 'stop_timeout')
			conf.dockerdStopMs = durationMs(kv[2]);
	}
	if (conf.shutdownMs === null || conf.dockerdStopMs === null)
		throw new Error(`${file}: cannot read shutdown_timeout or dockerd's stop_timeout`);
	return conf;
}

function loadYaml(file) {
	const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
	const out = [];
	for (const doc of docs) {
		for (const e of doc.errors)
			fail(file, '', `YAML: ${e.message.split('\n')[0]}`);
		if (!doc.errors.length && doc.contents !== null)
			out.push(doc.toJS());
	}
	return out;
}

/* ---- schema validation with unknown-field detection ---- */

/* "data/spec/containers/0/name must be string" -> "spec.containers[0].name must be string" */
function schemaPath(message) {
	return message.replace(/^data/, '').replace(/\/(\d+)(?=\/|\s|$)/g, '[$1]').replace(/^\//, '')
		.replace(/\//g, '.').trim();
}

function strictValidate(file, where, Model, what, obj) {
	const records = new Map(); /* target object -> { proxy, read: Set, enumerated } */
	const wrap = (v) => {
		if (v === null || typeof v !== 'object')
			return v;
		let rec = records.get(v);
		if (!rec) {
			rec = { read: new Set(), enumerated: false };
			rec.proxy = new Proxy(v, {
				get(t, k, r) {
					if (typeof k === 'string')
						rec.read.add(k);
					return wrap(Reflect.get(t, k, r));
				},
				ownKeys(t) {
					rec.enumerated = true;
					return Reflect.ownKeys(t);
				},
			});
			records.set(v, rec);
		}
		return rec.proxy;
	};
	try {
		/* The model's own validate(), run on the proxy instead of a copy of the data. */
		Model.prototype.validate.call(wrap(obj));
	} catch (e) {
		for (const part of e.message.split(/, (?=data)/))
			fail(file, join(where, schemaPath(part)), '');
	}
	const walk = (v, p) => {
		if (v === null || typeof v !== 'object')
			return;
		const rec = records.get(v);
		for (const k of Object.keys(v)) {
			const sub = Array.isArray(v) ? `${p}[${k}]` : p ? `${p}.${k}` : k;
			if (!Array.isArray(v) && rec && !rec.enumerated && !rec.read.has(k))
				fail(file, join(where, sub), `unknown field "${k}" (not in the ${what} schema: a typo?)`);
			else
				walk(v[k], sub);
		}
	};
	walk(obj, '');
}

function modelFor(apiVersion, kind) {
	const group = apiVersion.includes('/') ? apiVersion : `v1`;
	let mod;
	try {
		mod = require(`kubernetes-models/${group}`);
	} catch (e) {
		return null;
	}
	const Model = mod[kind];
	return Model && Model.kind === kind && Model.apiVersion === apiVersion ? Model : null;
}

/* ---- Pod spec rules (the API server's, the kubelet's, and dind-init's) ---- */

const isDind = (c) => typeof c.image === 'string' && /(^|\/)dind-init(:|@|$)/.test(c.image);

function envOf(c) {
	const env = {};
	for (const e of c.env || [])
		if (e && typeof e.name === 'string')
			env[e.name] = 'value' in e ? String(e.value) : undefined; /* undefined: valueFrom */
	return env;
}

/* Where a path of container c lives: the volume mounted at its longest prefix and the rest of
 * the path inside it; null when no volume holds it (the container's own filesystem). */
function locate(c, p) {
	let best = null;
	for (const m of c.volumeMounts || []) {
		const mp = String(m.mountPath || '').replace(/\/+$/, '');
		if ((p === mp || p.startsWith(mp + '/')) && (!best || mp.length > best.mp.length))
			best = { mp, volume: m.name, rest: path.posix.join(m.subPath || '', p.slice(mp.length)) };
	}
	return best && { volume: best.volume, rest: best.rest.replace(/^\/+/, '') };
}

function probeTimeoutS(probe) {
	return probe.timeoutSeconds === undefined ? 1 : probe.timeoutSeconds; /* Kubernetes' default */
}

/* What the dind container serves, from its arguments (the `dockerd` form) or its environment. */
function dindServes(c, env) {
	const args = c.args || [];
	if (c.command)
		return { custom: true };
	if (args[0] === 'dockerd') {
		const hosts = args.filter((a) => a.startsWith('--host=') || a.startsWith('-H='))
			.map((a) => a.slice(a.indexOf('=') + 1));
		return {
			dockerdForm: true,
			sockets: hosts.filter((h) => h.startsWith('unix://')).map((h) => h.slice(7)),
			tcp: hosts.filter((h) => h.startsWith('tcp://')),
		};
	}
	const certdir = 'DOCKER_TLS_CERTDIR' in env ? env.DOCKER_TLS_CERTDIR : '/certs';
	const host = env.DOCKER_HOST || '';
	return {
		sockets: [host.startsWith('unix://') ? host.slice(7) : '/var/run/docker.sock'],
		certdir,
		port: certdir ? 2376 : 2375,
	};
}

function checkPodSpec(file, where, spec, conf) {
	if (!spec || typeof spec !== 'object')
		return;
	const all = [
		...(spec.initContainers || []).map((c, i) => ({ c, init: true, at: `${where}.initContainers[${i}]` })),
		...(spec.containers || []).map((c, i) => ({ c, init: false, at: `${where}.containers[${i}]` })),
	].filter((x) => x.c && typeof x.c === 'object');
	const names = new Set();
	for (const { c, at } of all) {
		if (names.has(c.name))
			fail(file, at, `container name "${c.name}" is used twice`);
		names.add(c.name);
	}
	const volumes = new Set();
	for (const [i, v] of (spec.volumes || []).entries()) {
		if (volumes.has(v.name))
			fail(file, `${where}.volumes[${i}]`, `volume name "${v.name}" is used twice`);
		volumes.add(v.name);
	}

	for (const { c, init, at } of all) {
		const env = envOf(c);
		for (const [j, m] of (c.volumeMounts || []).entries())
			if (!volumes.has(m.name))
				fail(file, `${at}.volumeMounts[${j}]`, `no volume "${m.name}" in ${where}.volumes`);
		if (init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
			fail(file, `${at}.restartPolicy`,
			     `restartPolicy "${c.restartPolicy}": an init container takes only "Always" (a sidecar)`);
		if (!init && c.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(c.restartPolicy))
			fail(file, `${at}.restartPolicy`,
			     `restartPolicy "${c.restartPolicy}": use Always, OnFailure or Never`);
		if (init && c.restartPolicy !== 'Always')
			for (const k of ['startupProbe', 'readinessProbe', 'livenessProbe', 'lifecycle'])
				if (c[k])
					fail(file, `${at}.${k}`,
					     `only a sidecar (restartPolicy: Always) init container may have ${k}`);
		/* Kubernetes expands $(VAR) only for variables the container defines; others stay as
		 * they are, so dockerd would get `--group=$(DOCKER_GROUP_GID)` literally. */
		for (const k of ['command', 'args'])
			for (const word of c[k] || [])
				for (const m of String(word).matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
					if (!(m[1] in env))
						fail(file, `${at}.${k}`,
						     `$(${m[1]}) names no variable of this container's env: Kubernetes leaves it as it is`);
	}

	const dinds = all.filter((x) => isDind(x.c));
	for (const { c, init, at } of dinds) {
		const env = envOf(c);
		if (!(c.securityContext && c.securityContext.privileged === true))
			fail(file, `${at}.securityContext.privileged`,
			     'the dind container must be privileged (dind-init exits 3 without the privileges)');
		if (!locate(c, '/var/lib/docker'))
			fail(file, `${at}.volumeMounts`,
			     'mount a volume (emptyDir) on /var/lib/docker: overlay2 cannot stack on the container\'s overlay filesystem');
		if (init && c.restartPolicy !== 'Always')
			fail(file, `${at}.restartPolicy`,
			     'a dind init container must be a sidecar (restartPolicy: Always): a plain init container never ends');
		if (init && !c.startupProbe)
			fail(file, `${at}.startupProbe`,
			     'add a startupProbe (dind-ctl wait): without it the next containers start before Docker is ready');
		for (const k of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
			const cmd = c[k] && c[k].exec && c[k].exec.command;
			if (!Array.isArray(cmd) || cmd[0] !== 'dind-ctl' || cmd[1] !== 'wait')
				continue;
			const ti = cmd.indexOf('--timeout');
			const waitMs = ti > 0 ? durationMs(cmd[ti + 1]) : 60000;
			if (waitMs === null || waitMs === 0)
				fail(file, `${at}.${k}.exec.command`, 'give dind-ctl wait a finite --timeout (like 60s)');
			else if (probeTimeoutS(c[k]) * 1000 <= waitMs)
				fail(file, `${at}.${k}.timeoutSeconds`,
				     `timeoutSeconds ${probeTimeoutS(c[k])} must exceed dind-ctl wait --timeout ` +
				     `(${waitMs / 1000} s), or the kubelet gives up on the probe while it still waits`);
		}
		const grace = spec.terminationGracePeriodSeconds === undefined ? 30 : spec.terminationGracePeriodSeconds;
		if (grace * 1000 <= conf.shutdownMs)
			fail(file, `${where}.terminationGracePeriodSeconds`,
			     `${grace} s must exceed dind-init's shutdown_timeout (${conf.shutdownMs / 1000} s in ` +
			     `${path.basename(conf.file)}), or the kubelet kills the ordered stop`);
	}

	/* The clients: every other container that names a Docker daemon. */
	for (const { c, at } of all) {
		if (isDind(c))
			continue;
		const env = envOf(c);
		const host = env.DOCKER_HOST;
		if (host === undefined)
			continue;
		const where2 = `${at}.env.DOCKER_HOST`;
		if (dinds.length !== 1) {
			fail(file, where2, `${dinds.length} dind-init containers in this Pod; expected one`);
			continue;
		}
		const d = dinds[0].c;
		const serves = dindServes(d, envOf(d));
		if (serves.custom)
			continue;
		const unix = /^unix:\/\/(\/.*)$/.exec(host);
		const tcp = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)$/.exec(host);
		if (unix) {
			const mine = locate(c, unix[1]);
			const ok = serves.sockets.some((s) => {
				const theirs = locate(d, s);
				return mine && theirs && mine.volume === theirs.volume && mine.rest === theirs.rest;
			});
			if (!ok)
				fail(file, where2,
				     `${unix[1]} is not the socket of ${dinds[0].at} (${serves.sockets.join(', ')}) on a volume both mount`);
		} else if (tcp) {
			const local = ['localhost', '127.0.0.1', '[::1]'];
			const aliases = (spec.hostAliases || []).flatMap((a) => a.hostnames || []);
			if (!local.includes(tcp[1]) && !aliases.includes(tcp[1]))
				fail(file, where2, `${tcp[1]}: the dind container of the same Pod is at localhost`);
			if (serves.dockerdForm) {
				fail(file, where2, `${dinds[0].at} runs dockerd with its own arguments: no TCP listener is implied`);
				continue;
			}
			const port = Number(tcp[2]);
			if (port !== serves.port)
				fail(file, where2,
				     `port ${port}, but the dind container serves ${serves.port} ` +
				     `(DOCKER_TLS_CERTDIR ${serves.certdir ? `"${serves.certdir}": TLS on 2376` : 'empty: TLS off on 2375'})`);
			if (serves.certdir) {
				if (!env.DOCKER_TLS_VERIFY)
					fail(file, `${at}.env`, 'TLS on: set DOCKER_TLS_VERIFY=1');
				const cp = env.DOCKER_CERT_PATH;
				const mine = cp && locate(c, cp);
				const theirs = locate(d, `${serves.certdir}/client`);
				if (!cp)
					fail(file, `${at}.env`, `TLS on: set DOCKER_CERT_PATH to where ${serves.certdir}/client is shared`);
				else if (!mine || !theirs || mine.volume !== theirs.volume || mine.rest !== theirs.rest)
					fail(file, `${at}.env.DOCKER_CERT_PATH`,
					     `${cp} is not ${serves.certdir}/client of the dind container on a volume both mount`);
			} else if (env.DOCKER_TLS_VERIFY) {
				fail(file, `${at}.env.DOCKER_TLS_VERIFY`, 'TLS is off (port 2375): DOCKER_TLS_VERIFY must not be set');
			}
		} else {
			fail(file, where2, `"${host}": expected unix:///path or tcp://host:port`);
		}
	}
}

/* ---- the three kinds of recipe ---- */

function checkK8s(file, conf) {
	const docs = loadYaml(file);
	if (!docs.length)
		fail(file, '', 'no Kubernetes object');
	for (const [i, obj] of docs.entries()) {
		const where = `document ${i + 1}`;
		if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) {
			fail(file, where, 'not a Kubernetes object (apiVersion and kind)');
			continue;
		}
		const Model = modelFor(obj.apiVersion, obj.kind);
		if (!Model) {
			fail(file, where, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
			continue;
		}
		const name = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
		strictValidate(file, name, Model, obj.kind, obj);
		if (obj.kind === 'Pod')
			checkPodSpec(file, `${name} spec`, obj.spec, conf);
		else if (obj.spec && obj.spec.template && obj.spec.template.spec)
			checkPodSpec(file, `${name} spec.template.spec`, obj.spec.template.spec, conf);
	}
}

/* The gha-runner-scale-set chart's top-level values (its values.yaml). */
const ARC_KEYS = new Set([
	'githubConfigUrl', 'githubConfigSecret', 'proxy', 'maxRunners', 'minRunners', 'runnerGroup',
	'runnerScaleSetName', 'fullnameOverride', 'githubServerTLS', 'keyVault', 'containerMode',
	'listenerTemplate', 'listenerMetrics', 'template', 'controllerServiceAccount', 'namespaceOverride',
	'annotations', 'labels', 'resourceMeta',
]);

function checkArc(file, conf) {
	const docs = loadYaml(file);
	if (docs.length !== 1 || !docs[0] || typeof docs[0] !== 'object') {
		fail(file, '', 'expected one YAML mapping of chart values');
		return;
	}
	const v = docs[0];
	for (const k of Object.keys(v))
		if (!ARC_KEYS.has(k))
			fail(file, k, 'not a value of the gha-runner-scale-set chart (a typo?)');
	if (!v.githubConfigUrl)
		fail(file, 'githubConfigUrl', 'required by the chart');
	if (v.containerMode && v.containerMode.type)
		fail(file, 'containerMode.type',
		     `"${v.containerMode.type}" makes the chart write its own containers (docker:dind): leave containerMode unset and spell out template.spec`);
	if (!v.template || !v.template.spec) {
		fail(file, 'template.spec', 'missing: it holds the runner and the dind sidecar');
		return;
	}
	const { PodTemplateSpec } = require('kubernetes-models/v1');
	strictValidate(file, 'template', PodTemplateSpec, 'PodTemplateSpec', v.template);
	checkPodSpec(file, 'template.spec', v.template.spec, conf);
	const spec = v.template.spec;
	const runner = (spec.containers || []).find((c) => c && c.name === 'runner');
	if (!runner)
		fail(file, 'template.spec.containers', 'no container named "runner" (the chart looks for that name)');
	else if (!envOf(runner).DOCKER_HOST)
		fail(file, 'template.spec.containers.runner.env', 'set DOCKER_HOST to the dind sidecar\'s socket');
	if (!(spec.initContainers || []).some(isDind))
		fail(file, 'template.spec.initContainers', 'no dind-init sidecar');
}

/* What GitLab reads in a .gitlab-ci.yml (keywords reference). */
const GL_GLOBAL = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'spec',
	'image', 'services', 'before_script', 'after_script', 'cache']);
const GL_JOB = new Set(['after_script', 'allow_failure', 'artifacts', 'before_script', 'cache',
	'coverage', 'dast_configuration', 'dependencies', 'environment', 'except', 'extends', 'hooks',
	'id_tokens', 'identity', 'image', 'inherit', 'interruptible', 'manual_confirmation', 'needs',
	'only', 'pages', 'parallel', 'release', 'resource_group', 'retry', 'rules', 'run', 'script',
	'secrets', 'services', 'stage', 'tags', 'timeout', 'trigger', 'variables', 'when']);
const GL_DEFAULT = new Set(['after_script', 'artifacts', 'before_script', 'cache', 'hooks',
	'id_tokens', 'image', 'interruptible', 'retry', 'services', 'tags', 'timeout']);
const GL_IMAGE = new Set(['name', 'entrypoint', 'docker', 'pull_policy', 'kubernetes']);
const GL_SERVICE = new Set(['name', 'alias', 'entrypoint', 'command', 'variables', 'pull_policy',
	'docker', 'kubernetes']);

function glVariables(file, where, vars) {
	const out = {};
	if (vars === undefined)
		return out;
	if (!vars || typeof vars !== 'object' || Array.isArray(vars)) {
		fail(file, where, 'variables must be a mapping of names to values');
		return out;
	}
	for (const [k, val] of Object.entries(vars)) {
		if (typeof val === 'string' || typeof val === 'number')
			out[k] = String(val);
		else if (val && typeof val === 'object' && 'value' in val)
			out[k] = String(val.value);
		else
			fail(file, `${where}.${k}`, `a variable's value must be a string or a number, not ${JSON.stringify(val)}`);
	}
	return out;
}

/* $NAME and ${NAME} from vars, as GitLab expands them in variables, image and service names. */
function expand(s, vars) {
	return String(s).replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
				 (m, a, b) => (vars[a || b] !== undefined ? vars[a || b] : m));
}

function deepMerge(base, over) {
	if (!base || typeof base !== 'object' || Array.isArray(base) || !over || typeof over !== 'object' || Array.isArray(over))
		return over;
	const out = { ...base };
	for (const [k, v] of Object.entries(over))
		out[k] = k in base ? deepMerge(base[k], v) : v;
	return out;
}

function checkGitlab(file) {
	const docs = loadYaml(file);
	if (docs.length !== 1 || !docs[0] || typeof docs[0] !== 'object') {
		fail(file, '', 'expected one YAML mapping');
		return;
	}
	const top = docs[0];
	const stages = top.stages || ['.pre', 'build', 'test', 'deploy', '.post'];
	const globalVars = glVariables(file, 'variables', top.variables);
	const dflt = top.default || {};
	for (const k of Object.keys(dflt))
		if (!GL_DEFAULT.has(k))
			fail(file, `default.${k}`, 'not a keyword of default: (a typo?)');

	const jobs = Object.keys(top).filter((k) => !GL_GLOBAL.has(k));
	const resolve = (name, seen = []) => {
		const job = top[name];
		if (seen.includes(name)) {
			fail(file, name, `extends loops: ${[...seen, name].join(' -> ')}`);
			return {};
		}
		let merged = {};
		for (const parent of [].concat(job.extends || [])) {
			if (!(parent in top) || GL_GLOBAL.has(parent) || typeof top[parent] !== 'object') {
				fail(file, `${name}.extends`, `no job or template "${parent}"`);
				continue;
			}
			merged = deepMerge(merged, resolve(parent, [...seen, name]));
		}
		const own = { ...job };
		delete own.extends;
		return deepMerge(merged, own);
	};

	for (const name of jobs) {
		const job = top[name];
		if (!job || typeof job !== 'object' || Array.isArray(job)) {
			fail(file, name, `"${name}" is not a GitLab keyword, so it is a job, and a job must be a mapping`);
			continue;
		}
		for (const k of Object.keys(job))
			if (!GL_JOB.has(k))
				fail(file, `${name}.${k}`, 'not a job keyword GitLab reads (a typo?)');
		glVariables(file, `${name}.variables`, job.variables);
		if (name.startsWith('.'))
			continue; /* a hidden job: a template for extends */
		const r = resolve(name);
		for (const k of Object.keys(dflt))
			if (!(k in r))
				r[k] = dflt[k];
		if (!r.script && !r.trigger && !r.run)
			fail(file, name, 'a job needs a script');
		if (r.stage !== undefined && !stages.includes(r.stage))
			fail(file, `${name}.stage`, `"${r.stage}" is not in stages (${stages.join(', ')})`);
		checkGitlabDocker(file, name, r, globalVars);
	}
}

function checkGitlabDocker(file, name, job, globalVars) {
	const vars = { ...globalVars, ...glVariables(file, `${name}.variables`, job.variables) };
	for (const k of Object.keys(vars))
		vars[k] = expand(vars[k], vars);

	let image = job.image;
	if (image && typeof image === 'object') {
		for (const k of Object.keys(image))
			if (!GL_IMAGE.has(k))
				fail(file, `${name}.image.${k}`, 'not an image keyword (a typo?)');
	}
	const services = job.services || [];
	if (!Array.isArray(services)) {
		fail(file, `${name}.services`, 'must be a list');
		return;
	}
	if (!services.length)
		return;
	let svcVars = null;
	for (const [i, s0] of services.entries()) {
		const s = typeof s0 === 'string' ? { name: s0 } : s0;
		const at = `${name}.services[${i}]`;
		if (!s || typeof s !== 'object' || !s.name) {
			fail(file, at, 'a service needs a name');
			continue;
		}
		for (const k of Object.keys(s))
			if (!GL_SERVICE.has(k))
				fail(file, `${at}.${k}`, 'not a service keyword (a typo?)');
		if (s.alias !== 'docker')
			fail(file, `${at}.alias`, `alias ${JSON.stringify(s.alias)}: the jobs reach the service as "docker" (the name its certificate carries)`);
		if (!/dind-init/.test(expand(s.name, vars)))
			fail(file, `${at}.name`, `${s.name}: not the dind-init image`);
		/* The service gets the job's variables, then its own. */
		svcVars = { ...vars, ...glVariables(file, `${at}.variables`, s.variables) };
		svcVars.__at = at;
	}
	if (!svcVars)
		return;

	const certdir = 'DOCKER_TLS_CERTDIR' in svcVars ? svcVars.DOCKER_TLS_CERTDIR : '/certs';
	const tls = certdir !== '';
	const imgEntrypoint = image && typeof image === 'object' ? [].concat(image.entrypoint || [])[0] : undefined;
	let host = vars.DOCKER_HOST;
	const explicit = host !== undefined;
	if (!explicit) {
		if (imgEntrypoint && path.basename(imgEntrypoint) === 'docker-entrypoint.sh')
			host = `tcp://docker:${tls ? 2376 : 2375}`; /* what docker-entrypoint.sh picks */
		else {
			fail(file, `${name}.variables`,
			     'set DOCKER_HOST (tcp://docker:2376 with TLS), or use an image whose entrypoint is docker-entrypoint.sh');
			return;
		}
	}
	const tcp = /^tcp:\/\/([^:/]+):(\d+)$/.exec(host);
	if (!tcp) {
		if (!/^unix:\/\//.test(host))
			fail(file, `${name}.variables.DOCKER_HOST`, `"${host}": expected tcp://docker:PORT`);
		return;
	}
	if (!['docker', 'localhost', '127.0.0.1'].includes(tcp[1]))
		fail(file, `${name}.variables.DOCKER_HOST`, `host ${tcp[1]}: the service's alias is docker`);
	const port = Number(tcp[2]);
	if (tls && port !== 2376)
		fail(file, `${name}.variables.DOCKER_HOST`,
		     `port ${port}, but DOCKER_TLS_CERTDIR is "${certdir}": the service serves TLS on 2376`);
	if (!tls && port !== 2375)
		fail(file, `${name}.variables.DOCKER_HOST`,
		     `port ${port}, but DOCKER_TLS_CERTDIR is empty: the service serves plain TCP on 2375`);
	if (tls) {
		if (certdir !== '/certs')
			fail(file, `${name}.variables.DOCKER_TLS_CERTDIR`,
			     `"${certdir}": the runner shares /certs/client (config.toml), so it must be /certs`);
		if (explicit && !vars.DOCKER_TLS_VERIFY)
			fail(file, `${name}.variables`, 'TLS on: set DOCKER_TLS_VERIFY: "1"');
		if (explicit && vars.DOCKER_CERT_PATH !== `${certdir}/client`)
			fail(file, `${name}.variables.DOCKER_CERT_PATH`,
			     `${JSON.stringify(vars.DOCKER_CERT_PATH)}: the client certificates are in ${certdir}/client`);
	} else if (vars.DOCKER_TLS_VERIFY) {
		fail(file, `${name}.variables.DOCKER_TLS_VERIFY`,
		     'TLS is off: unset it (the client would insist on TLS, and dockerd in the service reads it too)');
	}
	const hc = svcVars.HEALTHCHECK_TCP_PORT;
	if (hc !== undefined && Number(hc) !== port)
		fail(file, `${svcVars.__at}.variables.HEALTHCHECK_TCP_PORT`, `${hc}, but the job connects to ${port}`);
}

/* ---- main ---- */

function main(argv) {
	let configFile = path.join(__dirname, '..', '..', 'config', 'dind-init.ini');
	const jobs = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--config')
			configFile = argv[++i];
		else if (/^(k8s|arc|gitlab)=/.test(argv[i]))
			jobs.push(argv[i].split(/=(.*)/s).slice(0, 2));
		else {
			console.error(`usage: check.js [--config dind-init.ini] k8s=FILE arc=FILE gitlab=FILE...`);
			return 2;
		}
	}
	const conf = readDindConfig(configFile);
	for (const [kind, file] of jobs) {
		try {
			({ k8s: checkK8s, arc: checkArc, gitlab: checkGitlab })[kind](file, conf);
		} catch (e) {
			fail(file, '', e.code === 'ENOENT' ? 'no such file' : String(e.stack || e));
		}
	}
	for (const e of new Set(errors)) /* a job's variables are read raw and after extends */
		console.log(e);
	return errors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
