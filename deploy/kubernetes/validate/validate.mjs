// Renders deploy/kubernetes/base (its kustomization's namespace and resources: the only keys it uses) and checks every
// object against the published schemas: Kubernetes (kubernetes-models), Strimzi (@kubernetes-models/strimzi-kafka-
// operator) and the Prometheus operator (@kubernetes-models/prometheus-operator). Two checks per object: the schema's
// own validation (types, required fields, enums, patterns), and unknown fields, which JSON schemas of Kubernetes
// objects allow but the API server prunes or refuses: every object is type-checked by TypeScript against the models'
// interfaces, whose excess-property check names any field the schema does not have.
//
//   npm ci --prefix deploy/kubernetes/validate && node deploy/kubernetes/validate/validate.mjs [--print] [--generate] [--base DIR]
//
// --generate writes base/prometheus-rule.yaml and base/dashboards.yaml from deploy/prometheus/rules and
// deploy/grafana/dashboards (one source of truth; DeployKubernetesTest checks they match). --print writes the rendered
// objects as JSON lines on stdout; --base checks another copy of base/ (the test's broken one). Exit 0 when every object is valid, else 1 with one line per problem on stderr
// (file, kind and name, field, message). Run by DeployKubernetesTest; nothing to set.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import ts from "typescript";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as strimzi from "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const here = path.dirname(fileURLToPath(import.meta.url));
const baseAt = process.argv.indexOf("--base");
const base = baseAt > 0 ? path.resolve(process.argv[baseAt + 1]) : path.resolve(here, "../base");
const deploy = path.resolve(here, "../..");

// apiVersion/kind -> the model class and where its TypeScript interface is
const MODELS = {
  "v1/ConfigMap": [core.ConfigMap, "kubernetes-models/v1/ConfigMap", "IConfigMap"],
  "v1/Service": [core.Service, "kubernetes-models/v1/Service", "IService"],
  "apps/v1/StatefulSet": [apps.StatefulSet, "kubernetes-models/apps/v1/StatefulSet", "IStatefulSet"],
  "apps/v1/Deployment": [apps.Deployment, "kubernetes-models/apps/v1/Deployment", "IDeployment"],
  "policy/v1/PodDisruptionBudget": [policy.PodDisruptionBudget, "kubernetes-models/policy/v1/PodDisruptionBudget", "IPodDisruptionBudget"],
  "kafka.strimzi.io/v1beta2/Kafka": [strimzi.Kafka, "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/Kafka", "IKafka"],
  "kafka.strimzi.io/v1beta2/KafkaNodePool": [strimzi.KafkaNodePool, "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaNodePool", "IKafkaNodePool"],
  "kafka.strimzi.io/v1beta2/KafkaTopic": [strimzi.KafkaTopic, "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic", "IKafkaTopic"],
  "kafka.strimzi.io/v1beta2/KafkaUser": [strimzi.KafkaUser, "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaUser", "IKafkaUser"],
  "monitoring.coreos.com/v1/ServiceMonitor": [monitoring.ServiceMonitor, "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor", "IServiceMonitor"],
  "monitoring.coreos.com/v1/PrometheusRule": [monitoring.PrometheusRule, "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule", "IPrometheusRule"],
};

const problems = [];

function readYamlDocs(file) {
  const text = fs.readFileSync(file, "utf8");
  const docs = YAML.parseAllDocuments(text, { prettyErrors: true });
  const out = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      problems.push(`${path.relative(deploy, file)}:${e.linePos?.[0]?.line ?? "?"}: ${e.message}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

function render() {
  const kFile = path.join(base, "kustomization.yaml");
  const [k] = readYamlDocs(kFile);
  const known = new Set(["apiVersion", "kind", "namespace", "resources"]);
  for (const key of Object.keys(k)) {
    if (!known.has(key)) {
      problems.push(`base/kustomization.yaml: ${key}: not rendered by this validator (it knows ${[...known].join(", ")})`);
    }
  }
  const objects = [];
  for (const resource of k.resources) {
    const file = path.join(base, resource);
    for (const o of readYamlDocs(file)) {
      o.metadata = o.metadata ?? {};
      if (k.namespace) {
        o.metadata.namespace = k.namespace;
      }
      objects.push({ file: `base/${resource}`, object: o });
    }
  }
  return objects;
}

function where(o) {
  return `${o.file}: ${o.object.kind} ${o.object.metadata?.name}`;
}

function validateSchemas(objects) {
  for (const o of objects) {
    const key = `${o.object.apiVersion}/${o.object.kind}`;
    const model = MODELS[key];
    if (!model) {
      problems.push(`${where(o)}: no schema for ${key} here (known: ${Object.keys(MODELS).join(", ")})`);
      continue;
    }
    try {
      new model[0](o.object).validate();
    } catch (e) {
      for (const line of String(e.message).split("\n")) {
        problems.push(`${where(o)}: ${line}`);
      }
    }
  }
}

function validateFields(objects) {
  const lines = [];
  const imports = new Set();
  const owner = [];
  objects.forEach((o, i) => {
    const model = MODELS[`${o.object.apiVersion}/${o.object.kind}`];
    if (!model) {
      return;
    }
    imports.add(`import type { ${model[2]} } from "${model[1]}";`);
    const json = JSON.stringify(o.object, null, 1).split("\n");
    owner.push([lines.length + 1, o]);   // the line where this object's literal starts, counted after the imports
    lines.push(`export const object${i}: ${model[2]} = ${json[0]}`, ...json.slice(1).map((l, j) => (j === json.length - 2 ? l + ";" : l)));
  });
  const head = [...imports];
  const source = [...head, ...lines].join("\n") + "\n";
  const fileName = path.join(here, "rendered.generated.ts");
  const options = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile;
  host.readFile = (f) => (path.resolve(f) === fileName ? source : read(f));
  const exists = host.fileExists;
  host.fileExists = (f) => path.resolve(f) === fileName || exists(f);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (f, lang, onError, create) =>
    path.resolve(f) === fileName ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, onError, create);
  const program = ts.createProgram([fileName], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ");
    if (!d.file || path.resolve(d.file.fileName) !== fileName) {
      problems.push(`TypeScript: ${message}`);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1 - head.length;
    let o = owner[0][1];
    for (const [start, candidate] of owner) {
      if (start <= line) {
        o = candidate;
      }
    }
    const text = source.split("\n")[line + head.length - 1].trim();
    problems.push(`${where(o)}: ${message.length > 400 ? message.slice(0, 400) + "..." : message} (at ${text})`);
  }
}

function generate() {
  const rulesDir = path.join(deploy, "prometheus/rules");
  const groups = [];
  for (const f of fs.readdirSync(rulesDir).filter((f) => f.endsWith(".yml")).sort()) {
    groups.push(...readYamlDocs(path.join(rulesDir, f))[0].groups);
  }
  const rule = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "hotline-monitor", labels: { release: "prometheus" } },
    spec: { groups },
  };
  fs.writeFileSync(path.join(base, "prometheus-rule.yaml"),
    "# GENERATED from deploy/prometheus/rules/*.yml by `node deploy/kubernetes/validate/validate.mjs --generate`: edit\n" +
    "# those, then regenerate. The rules for the Prometheus operator; the label is the one your Prometheus selects rules by.\n" +
    YAML.stringify(rule, { lineWidth: 0 }));
  const dashDir = path.join(deploy, "grafana/dashboards");
  const maps = fs.readdirSync(dashDir).filter((f) => f.endsWith(".json")).sort().map((f) => YAML.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `hotline-dashboard-${f.replace(/\.json$/, "")}`, labels: { grafana_dashboard: "1" },
      annotations: { grafana_folder: "Hotline monitor" } },
    data: { [f]: fs.readFileSync(path.join(dashDir, f), "utf8") },
  }, { lineWidth: 0 }));
  fs.writeFileSync(path.join(base, "dashboards.yaml"),
    "# GENERATED from deploy/grafana/dashboards/*.json by `node deploy/kubernetes/validate/validate.mjs --generate`: edit\n" +
    "# those, then regenerate. Grafana's dashboard sidecar (kube-prometheus-stack: sidecar.dashboards.enabled) loads every\n" +
    "# ConfigMap labelled grafana_dashboard; the dashboards' data source variable picks your Prometheus.\n" +
    maps.join("---\n"));
}

if (process.argv.includes("--generate")) {
  generate();
}
const objects = render();
validateSchemas(objects);
validateFields(objects);
if (process.argv.includes("--print")) {
  for (const o of objects) {
    console.log(JSON.stringify(o.object));
  }
}
if (problems.length > 0) {
  for (const p of problems) {
    console.error(p);
  }
  console.error(`${problems.length} problem(s) in deploy/kubernetes`);
  process.exit(1);
}
const kinds = {};
for (const o of objects) {
  kinds[o.object.kind] = (kinds[o.object.kind] ?? 0) + 1;
}
console.error(`deploy/kubernetes: ${objects.length} objects valid (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
