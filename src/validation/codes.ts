/**
 * The catalog of diagnostic codes. Codes are stable: tests, suppressions and the lessons refer
 * to them. Istio's own analyzer codes (ISTxxxx, from istio/pkg/config/analysis/msg) are used
 * where Istio has one; the project's codes are:
 *   YAML0xx: syntax (what kubectl's YAML decoder rejects),
 *   K8S0xx:  schema and object-meta validation (what the apiserver rejects),
 *   PRK0xx:  the practicum's own analysis (mistakes Istio does not name but a learner makes).
 */
import type { Diagnostic, DiagnosticSource, FieldPath, Range, ResourceRef, Severity } from './types';

export type Args = Record<string, string | number | undefined>;

export interface CodeInfo {
  severity: Severity;
  source: DiagnosticSource;
  /** Istio's message name (ReferencedResourceNotFound) for IST codes; a short English name otherwise. */
  name: string;
  /** Russian one-line message. */
  message: (a: Args) => string;
  /** The original English wording, when the message quotes Kubernetes or Istio. */
  original?: (a: Args) => string;
  /** Why it is flagged and how to fix it. */
  explanation: string;
  link: string;
}

const L = {
  commands: '/docs/commands',
  architecture: '/docs/architecture',
  gateway: '/docs/gateway',
  vs: '/docs/virtual-service',
  dr: '/docs/destination-rule',
  se: '/docs/service-entry',
  ingress: '/docs/scenarios/ingress-service-a',
  a2b: '/docs/scenarios/service-a-service-b',
  split: '/docs/scenarios/traffic-split',
  egress: '/docs/scenarios/egress',
  rateLimit: '/docs/practice/rate-limit',
};

const q = (v: unknown) => `«${String(v)}»`;

export const CODES: Record<string, CodeInfo> = {
  // ---------------------------------------------------------------- syntax
  YAML001: {
    severity: 'error',
    source: 'syntax',
    name: 'YAMLSyntaxError',
    message: (a) => `Ошибка синтаксиса YAML: ${a.detail}${a.kubectl ? ` (kubectl: "${a.kubectl}")` : ''}`,
    original: (a) => String(a.kubectl ?? a.detail),
    explanation:
      'Текст не разбирается как YAML, поэтому kubectl не отправит его в кластер. Чаще всего виноваты отступы (вложенные поля сдвигаются на одинаковое число пробелов), пропущенное двоеточие после ключа или незакрытая кавычка.',
    link: L.commands,
  },
  YAML002: {
    severity: 'error',
    source: 'syntax',
    name: 'DuplicateKey',
    message: (a) => `Ключ ${q(a.key)} повторяется в одном объекте (kubectl: "key ${JSON.stringify(a.key)} already set in map")`,
    original: (a) => `yaml: line ${a.line}: key ${JSON.stringify(a.key)} already set in map`,
    explanation:
      'Один и тот же ключ указан дважды на одном уровне. kubectl отвергает такой документ; парсеры, которые не отвергают, молча берут последнее значение, и половина настроек теряется. Объедините содержимое двух ключей в один.',
    link: L.commands,
  },
  YAML003: {
    severity: 'error',
    source: 'syntax',
    name: 'TabIndent',
    message: () => 'Табуляция в отступе: YAML допускает для отступов только пробелы',
    original: () => 'found character that cannot start any token',
    explanation: 'Замените символы табуляции в начале строки пробелами (обычно по два на уровень). Редактор может показывать табуляцию так же, как пробелы, поэтому ошибку легко не заметить.',
    link: L.commands,
  },
  YAML004: {
    severity: 'error',
    source: 'syntax',
    name: 'DocumentNotMapping',
    message: (a) => `Документ должен быть объектом (apiVersion, kind, metadata…), а здесь ${a.type}`,
    original: () => 'json: cannot unmarshal into Go value of type map[string]interface {}',
    explanation:
      'Каждый документ манифеста (между строками ---) описывает один объект Kubernetes: словарь с ключами apiVersion, kind, metadata и spec. Список или строка на верхнем уровне обычно означает лишний дефис или потерянный отступ.',
    link: L.commands,
  },
  YAML005: {
    severity: 'error',
    source: 'syntax',
    name: 'ExcessiveAliasing',
    message: (a) => `Слишком много раскрытий якорей (больше ${a.limit}): похоже на «бомбу псевдонимов»`,
    original: () => 'yaml: document contains excessive aliasing',
    explanation:
      'Якоря (&name) и ссылки (*name) позволяют коротким текстом описать огромный объект. kubectl отказывается разворачивать такие документы, и проверка тоже останавливается. В манифестах Kubernetes якоря почти не нужны: напишите значения явно.',
    link: L.commands,
  },
  YAML006: {
    severity: 'error',
    source: 'syntax',
    name: 'TooLarge',
    message: (a) => `Текст слишком большой: ${a.size} символов при пределе ${a.limit}; проверка не выполнялась`,
    original: () => 'etcdserver: request is too large',
    explanation:
      'Объект Kubernetes хранится в etcd, который не принимает запросы больше полутора мегабайт, а манифест урока занимает несколько килобайт. Разбейте файл на части или уберите из него большие данные (их место в ConfigMap или Secret, созданных из файла).',
    link: L.commands,
  },
  YAML007: {
    severity: 'error',
    source: 'syntax',
    name: 'BinaryData',
    message: (a) => `Недопустимый управляющий символ U+${String(a.code).toUpperCase()}: похоже, это двоичный файл, а не YAML`,
    original: () => 'yaml: control characters are not allowed',
    explanation: 'YAML — текстовый формат. Управляющие символы (кроме табуляции и перевода строки) в нём запрещены. Проверьте, что открыт нужный файл и что он сохранён как текст в UTF-8.',
    link: L.commands,
  },
  YAML008: {
    severity: 'error',
    source: 'syntax',
    name: 'TooDeep',
    message: (a) => `Слишком глубокая вложенность (больше ${a.limit} уровней); проверка остановлена`,
    original: () => 'yaml: exceeded max depth',
    explanation: 'Объекты Kubernetes редко бывают глубже двадцати уровней. Такая вложенность обычно получается из-за потерянных закрывающих скобок в записи [ ] или { }.',
    link: L.commands,
  },
  YAML009: {
    severity: 'error',
    source: 'syntax',
    name: 'TooManyDocuments',
    message: (a) => `Слишком много документов в одном тексте (больше ${a.limit}); остальные не проверялись`,
    explanation: 'Разбейте манифесты на несколько файлов.',
    link: L.commands,
  },
  YAML010: {
    severity: 'warning',
    source: 'syntax',
    name: 'ValidationIncomplete',
    message: (a) => `Проверка ${a.what ?? 'документа'} не завершилась: в нём значения такого вида, которые движок проверки не сумел разобрать; остальное проверено`,
    explanation:
      'Так бывает, когда на месте строки или числа стоит объект или список (например, apiVersion со вложенными полями). Исправьте явные ошибки, о которых сказано рядом, и проверка пройдёт целиком.',
    link: L.commands,
  },
  YAML011: {
    severity: 'error',
    source: 'syntax',
    name: 'AnchorContainsItself',
    message: (a) => `Якорь &${a.anchor} содержит сам себя: внутри его значения стоит ссылка *${a.anchor}`,
    // gopkg.in/yaml.v2 decode.go, (*decoder).alias
    original: (a) => `yaml: anchor '${a.anchor}' value contains itself`,
    explanation:
      'Ссылка *имя внутри значения, отмеченного якорем &имя, описывает бесконечно вложенный объект. kubectl отказывается его читать. Замените ссылку явным значением или уберите её.',
    link: L.commands,
  },

  // ---------------------------------------------------------------- schema
  K8S001: {
    severity: 'error',
    source: 'schema',
    name: 'TypeMetaMissing',
    message: (a) => `Не указано поле ${a.field}: без него kubectl не знает, какой это ресурс (${a.field} not set)`,
    original: (a) => `error validating data: ${a.field} not set`,
    explanation:
      'Каждый объект начинается с apiVersion (группа и версия API, например networking.istio.io/v1) и kind (тип ресурса, например VirtualService). По этой паре apiserver выбирает схему и обработчик.',
    link: L.architecture,
  },
  K8S002: {
    severity: 'error',
    source: 'schema',
    name: 'NoKindMatch',
    message: (a) => `Ресурс ${q(a.kind)} в версии ${q(a.apiVersion)} сервер не знает${a.hint ? `; ${a.hint}` : ''} (no matches for kind ${JSON.stringify(a.kind)} in version ${JSON.stringify(a.apiVersion)})`,
    original: (a) => `no matches for kind ${JSON.stringify(a.kind)} in version ${JSON.stringify(a.apiVersion)}`,
    explanation:
      'apiserver принимает только те пары apiVersion/kind, которые он обслуживает: встроенные типы Kubernetes и CRD, установленные в кластер (Istio добавляет networking.istio.io/v1, v1beta1, v1alpha3 и security.istio.io/v1, v1beta1). Проверьте написание kind (с заглавных букв, как VirtualService) и группу в apiVersion.',
    link: L.architecture,
  },
  K8S003: {
    severity: 'error',
    source: 'schema',
    name: 'UnknownField',
    message: (a) => `Неизвестное поле ${q(a.key)}${a.suggestion ? `; возможно, имелось в виду ${q(a.suggestion)}` : ''} (unknown field ${JSON.stringify(a.field)})`,
    original: (a) => `strict decoding error: unknown field ${JSON.stringify(a.field)}`,
    explanation:
      'В схеме этого ресурса нет такого поля. С проверкой полей (kubectl по умолчанию) apiserver отклонит объект; без неё поле молча выбросят, и настройка просто не подействует. Обычно это опечатка или поле, сдвинутое не на тот уровень отступа.',
    link: L.vs,
  },
  K8S004: {
    severity: 'error',
    source: 'schema',
    name: 'WrongType',
    message: (a) => `Поле ${q(a.field)} должно быть ${a.expectedRu}, а здесь ${a.actualRu} (${a.field}: Invalid value: ${JSON.stringify(a.actual)}: ${a.field} in body must be of type ${a.expected})`,
    original: (a) => `${a.field}: Invalid value: ${JSON.stringify(a.actual)}: ${a.field} in body must be of type ${a.expected}: ${JSON.stringify(a.actual)}`,
    explanation:
      'Тип значения не совпадает со схемой. В YAML кавычки решают, строка это или число: "80" — строка, 80 — число; yes, no, on, off без кавычек — логические значения (kubectl читает YAML 1.1). Список пишется с дефисами, объект — с вложенными ключами.',
    link: L.vs,
  },
  K8S005: {
    severity: 'error',
    source: 'schema',
    name: 'RequiredValue',
    message: (a) => `Не хватает обязательного поля ${q(a.key)} в ${q(a.parent)} (${a.field}: Required value)`,
    original: (a) => `${a.field}: Required value`,
    explanation: 'Схема ресурса требует это поле: без него объект не пройдёт проверку apiserver. Добавьте его на том же уровне отступа, что и соседние поля.',
    link: L.vs,
  },
  K8S006: {
    severity: 'error',
    source: 'schema',
    name: 'UnsupportedValue',
    message: (a) => `Недопустимое значение ${q(a.value)} поля ${q(a.field)}; допустимы: ${a.supported}${a.suggestion ? `; возможно, ${q(a.suggestion)}` : ''} (Unsupported value)`,
    original: (a) => `${a.field}: Unsupported value: ${JSON.stringify(a.value)}: supported values: ${a.supportedQuoted}`,
    explanation: 'Поле принимает только значения из фиксированного списка (перечисление). Регистр важен: ROUND_ROBIN, а не round_robin.',
    link: L.dr,
  },
  K8S007: {
    severity: 'error',
    source: 'schema',
    name: 'OutOfRange',
    message: (a) => `Значение ${a.value} поля ${q(a.field)} вне допустимого диапазона: ${a.bound} (${a.field} in body should be ${a.boundEn})`,
    original: (a) => `${a.field}: Invalid value: ${a.value}: ${a.field} in body should be ${a.boundEn}`,
    explanation: 'Число выходит за пределы, которые задаёт схема (например, порт от 0 до 65535, число реплик не меньше нуля).',
    link: L.vs,
  },
  K8S008: {
    severity: 'error',
    source: 'schema',
    name: 'OneOf',
    message: (a) => `В ${q(a.field)} можно указать только одно из полей ${a.fields}, а указано: ${a.present} (must validate one and only one schema (oneOf))`,
    original: (a) => `${a.field}: Invalid value: "object": ${a.field} in body must validate one and only one schema (oneOf)`,
    explanation: 'Эти поля — взаимоисключающие варианты одной настройки: например, exact, prefix и regex в условии совпадения. Оставьте один из них; если нужны оба условия, сделайте два элемента списка match.',
    link: L.vs,
  },
  K8S009: {
    severity: 'error',
    source: 'schema',
    name: 'InvalidName',
    message: (a) => `Недопустимое имя ${q(a.value)} в ${q(a.field)}: ${a.reasonRu} (${a.reason})`,
    original: (a) => `${a.field}: Invalid value: ${JSON.stringify(a.value)}: ${a.reason}`,
    explanation:
      'Имена объектов Kubernetes — это DNS-имена: строчные латинские буквы, цифры и дефис (в некоторых ресурсах ещё точка), начинаются и заканчиваются буквой или цифрой, не длиннее 253 символов (63 для пространств имён и сервисов).',
    link: L.commands,
  },
  K8S010: {
    severity: 'error',
    source: 'schema',
    name: 'InvalidLabel',
    message: (a) => `Недопустимая метка ${q(a.value)} в ${q(a.field)}: ${a.reasonRu} (${a.reason})`,
    original: (a) => `${a.field}: Invalid value: ${JSON.stringify(a.value)}: ${a.reason}`,
    explanation:
      'Ключи и значения меток ограничены: до 63 символов из латинских букв, цифр, «-», «_» и «.», с буквой или цифрой в начале и в конце; у ключа может быть префикс-домен через «/». Значение метки — всегда строка: числа и true/false берите в кавычки.',
    link: L.commands,
  },

  // ---------------------------------------------------------------- Istio analyzers
  IST0101: {
    severity: 'error',
    source: 'analysis',
    name: 'ReferencedResourceNotFound',
    message: (a) => `${a.what}: ${q(a.value)} не найден${a.hint ? `; ${a.hint}` : ''} (Referenced ${a.reftype} not found: ${JSON.stringify(a.value)})`,
    original: (a) => `Referenced ${a.reftype} not found: ${JSON.stringify(a.value)}`,
    explanation:
      'Ресурс ссылается на другой, которого нет среди проверенных объектов. Istio примет такую конфигурацию, но запросы по этому пути получат 404 или 503 (флаг NR или UH в журнале Envoy). Проверьте имя и пространство имён ссылки или создайте недостающий ресурс.',
    link: L.vs,
  },
  IST0102: {
    severity: 'info',
    source: 'analysis',
    name: 'NamespaceNotInjected',
    message: (a) =>
      `В пространстве имён ${q(a.namespace)} не включено внедрение sidecar, а в нём есть нагрузки${a.meant ? ', к которым обращаются правила Istio' : ''} (The namespace is not enabled for Istio injection)`,
    original: (a) =>
      `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${a.namespace} istio-injection=enabled' to enable it, or 'kubectl label namespace ${a.namespace} istio-injection=disabled' to explicitly mark it as not needing injection.`,
    explanation:
      'Поды получают прокси Envoy, только если их пространство имён помечено istio-injection=enabled (или istio.io/rev). Без sidecar правила VirtualService и DestinationRule к исходящему трафику этих подов не применяются. Добавьте метку в metadata.labels пространства имён и пересоздайте поды.',
    link: L.architecture,
  },
  IST0106: {
    severity: 'error',
    source: 'analysis',
    name: 'SchemaValidationError',
    message: (a) => `${a.ru} (Schema validation error: ${a.en})`,
    original: (a) => `Schema validation error: ${a.en}`,
    explanation:
      'Эту проверку выполняет istiod (admission webhook validation.istio.io) при kubectl apply: объект соответствует схеме CRD, но нарушает правила Istio, и webhook отклонит его с этим текстом.',
    link: L.vs,
  },
  IST0108: {
    severity: 'warning',
    source: 'analysis',
    name: 'UnknownAnnotation',
    message: (a) => `Неизвестная аннотация Istio ${q(a.annotation)}${a.suggestion ? `; возможно, ${q(a.suggestion)}` : ''} (Unknown annotation: ${a.annotation})`,
    original: (a) => `Unknown annotation: ${a.annotation}`,
    explanation: 'Istio не знает такой аннотации и просто её проигнорирует. Скорее всего, в имени опечатка.',
    link: L.architecture,
  },
  IST0109: {
    severity: 'error',
    source: 'analysis',
    name: 'ConflictingMeshGatewayVirtualServiceHosts',
    message: (a) => `VirtualService ${a.virtualServices} задают один и тот же хост ${q(a.host)} для mesh (The VirtualServices ${a.virtualServices} associated with mesh gateway define the same host ${a.host})`,
    original: (a) =>
      `The VirtualServices ${a.virtualServices} associated with mesh gateway define the same host ${a.host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
    explanation:
      'Для трафика внутри mesh Istio не объединяет несколько VirtualService одного хоста: действовать будет только один, и какой — не определено. Соберите правила в один VirtualService или ограничьте видимость через exportTo.',
    link: L.vs,
  },
  IST0112: {
    severity: 'error',
    source: 'analysis',
    name: 'VirtualServiceDestinationPortSelectorRequired',
    message: (a) => `Сервис ${q(a.host)} открывает несколько портов (${a.ports}), а в destination не указан port.number (This VirtualService routes to a service ${JSON.stringify(a.host)} that exposes multiple ports)`,
    original: (a) => `This VirtualService routes to a service ${JSON.stringify(a.host)} that exposes multiple ports [${a.ports}]. Specifying a port in the destination is required to disambiguate.`,
    explanation: 'Когда у Service несколько портов, Istio не может угадать, на какой из них направить запрос. Укажите destination.port.number.',
    link: L.vs,
  },
  IST0118: {
    severity: 'info',
    source: 'analysis',
    name: 'PortNameIsNotUnderNamingConvention',
    message: (a) => `Имя порта ${q(a.portName)} не начинается с протокола, и appProtocol не задан: Istio будет угадывать протокол (Port name ${a.portName} (port: ${a.port}, targetPort: ${a.targetPort}) doesn't follow the naming convention of Istio port)`,
    original: (a) => `Port name ${a.portName} (port: ${a.port}, targetPort: ${a.targetPort}) doesn't follow the naming convention of Istio port.`,
    explanation:
      'Istio выбирает протокол порта по полю appProtocol или по имени вида <протокол>[-<суффикс>]: http, http-web, http2, grpc, https, tls, tcp… Без этого включается автоопределение, которое не работает для протоколов, где первым говорит сервер, и может превратить HTTP-маршруты в обычный TCP. Назовите порт, например, http или задайте appProtocol: http.',
    link: L.a2b,
  },
  IST0122: {
    severity: 'warning',
    source: 'analysis',
    name: 'InvalidRegexp',
    message: (a) => `Некорректное регулярное выражение ${q(a.re)} в ${q(a.where)}: ${a.problem} (Field ${JSON.stringify(a.where)} regular expression invalid)`,
    original: (a) => `Field ${JSON.stringify(a.where)} regular expression invalid: ${JSON.stringify(a.re)} (${a.problem})`,
    explanation:
      'Envoy понимает регулярные выражения в синтаксисе RE2: в нём нет опережающих и ретроспективных проверок ((?=…), (?<=…)) и обратных ссылок (\\1). Выражение целиком должно совпасть со строкой — якоря ^ и $ не нужны.',
    link: L.vs,
  },
  IST0132: {
    severity: 'warning',
    source: 'analysis',
    name: 'VirtualServiceHostNotFoundInGateway',
    message: (a) => `Хост ${q(a.host)} из VirtualService не принимает Gateway ${q(a.gateway)} (one or more host [${a.host}] defined in VirtualService ${a.virtualservice} not found in Gateway ${a.gateway})`,
    original: (a) => `one or more host [${a.host}] defined in VirtualService ${a.virtualservice} not found in Gateway ${a.gateway}.`,
    explanation:
      'VirtualService, привязанный к Gateway, действует только для хостов, которые этот Gateway принимает (spec.servers[].hosts). Запрос на другой хост получит 404 от шлюза. Добавьте хост в Gateway или исправьте его в VirtualService.',
    link: L.gateway,
  },
  IST0151: {
    severity: 'warning',
    source: 'analysis',
    name: 'EnvoyFilterUsesRelativeOperation',
    message: () =>
      'У EnvoyFilter нет priority, а патч задан относительной операцией: он может не примениться (This EnvoyFilter does not have a priority and has a relative patch operation set)',
    original: () =>
      'This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.',
    explanation:
      'INSERT_BEFORE, INSERT_AFTER, REPLACE и REMOVE ищут в конфигурации Envoy другой объект (например, фильтр envoy.filters.http.router). Если его нет или его переставил другой EnvoyFilter, патч молча не применится. Порядок применения EnvoyFilter задаёт priority; без неё — время создания. Задайте priority или используйте INSERT_FIRST / ADD.',
    link: L.rateLimit,
  },
  IST0162: {
    severity: 'warning',
    source: 'analysis',
    name: 'GatewayPortNotDefinedOnService',
    message: (a) => `Порт ${a.port} из Gateway не открыт в Service шлюза (${a.selector}) (The gateway is listening on a target port (port ${a.port}) that is not defined in the Service associated with its workload instances)`,
    original: (a) =>
      `The gateway is listening on a target port (port ${a.port}) that is not defined in the Service associated with its workload instances (Pod selector ${a.selector}). If you need to access the gateway port through the gateway Service, it will not be available.`,
    explanation:
      'Gateway только настраивает прокси шлюза слушать порт; снаружи до него дойдут, лишь если Service шлюза (istio-ingressgateway в istio-system) открывает этот порт. У стандартного ingress-шлюза это 80, 443 и 15021. Используйте один из них или добавьте порт в Service шлюза.',
    link: L.gateway,
  },
  IST0173: {
    severity: 'error',
    source: 'analysis',
    name: 'DestinationRuleSubsetNotSelectPods',
    message: (a) => `Subset ${q(a.subset)} не выбирает ни одного пода (The Subset ${a.subset} defined in the DestinationRule does not select any pods)`,
    original: (a) => `The Subset ${a.subset} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).`,
    explanation:
      'Метки subset должны совпадать с метками подов сервиса (обычно version: v1). Если таких подов нет, запросы в subset получат 503 с флагом UH (no healthy upstream). Исправьте метки subset или шаблона пода в Deployment.',
    link: L.dr,
  },

  // ---------------------------------------------------------------- the practicum's own
  PRK001: {
    severity: 'info',
    source: 'analysis',
    name: 'RouteWeightsNot100',
    message: (a) => `Сумма весов маршрутов — ${a.total}, а не 100: Istio разделит трафик пропорционально (${a.shares})`,
    explanation:
      'Istio трактует weight как относительную долю: назначение получит weight / (сумма весов) запросов. Раньше istiod требовал сумму ровно 100, и многие примеры написаны так; чтобы веса читались как проценты, приведите сумму к 100.',
    link: L.split,
  },
  PRK002: {
    severity: 'warning',
    source: 'analysis',
    name: 'DuplicateGatewayHost',
    message: (a) => `Хост ${q(a.host)} на шлюзе ${q(a.gateway)} заявлен и в VirtualService ${a.others}: правила будут склеены в неопределённом порядке`,
    explanation:
      'Для шлюзов Istio объединяет VirtualService с одинаковым хостом, но порядок их правил не задан (зависит от времени создания), и правило без match из одного ресурса перехватит весь трафик другого. Держите маршруты одного хоста в одном VirtualService.',
    link: L.ingress,
  },
  PRK003: {
    severity: 'warning',
    source: 'analysis',
    name: 'UnknownAppProtocol',
    message: (a) => `appProtocol ${q(a.value)} Istio не знает: трафик порта ${a.port} пойдёт как непрозрачный TCP`,
    explanation:
      'Istio понимает appProtocol http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp (и kubernetes.io/h2c, kubernetes.io/ws, kubernetes.io/wss). С другим значением HTTP-маршрутизация, повторы и метрики HTTP для порта не работают.',
    link: L.a2b,
  },
  PRK004: {
    severity: 'warning',
    source: 'analysis',
    name: 'MissingAppVersionLabels',
    message: (a) => `У подов ${q(a.workload)} нет ${a.missing}: Istio и Kiali не смогут назвать сервис и версию`,
    explanation:
      'Istio берёт имя сервиса и версию для метрик, трассировки и графа Kiali из меток app и version шаблона пода (или app.kubernetes.io/name и app.kubernetes.io/version). По version обычно выбирают поды subset в DestinationRule. Добавьте обе метки в spec.template.metadata.labels.',
    link: L.dr,
  },
  PRK005: {
    severity: 'warning',
    source: 'analysis',
    name: 'ServiceSelectsNoPods',
    message: (a) => `Service ${q(a.service)} не выбирает ни одного пода: селектор ${a.selector}`,
    explanation:
      'Селектор Service должен совпадать с метками шаблона пода в Deployment. Без подов у сервиса нет конечных точек, и запросы к нему получат 503 с флагом UH. Проверьте метки и пространство имён.',
    link: L.a2b,
  },
  PRK006: {
    severity: 'error',
    source: 'analysis',
    name: 'DeploymentSelectorMismatch',
    message: () => 'spec.selector.matchLabels не совпадает с метками шаблона пода (`selector` does not match template `labels`)',
    original: () => 'spec.template.metadata.labels: Invalid value: map[string]string{...}: `selector` does not match template `labels`',
    explanation: 'Deployment управляет только подами, которые выбирает его селектор, поэтому каждая метка из spec.selector.matchLabels должна быть в spec.template.metadata.labels с тем же значением. apiserver отклонит такой Deployment.',
    link: L.a2b,
  },
};

export interface DiagInit {
  range?: Range;
  documentIndex?: number;
  path?: FieldPath;
  resource?: ResourceRef;
  args?: Args;
  severity?: Severity;
  istioCode?: string;
}

export function diag(code: string, init: DiagInit = {}): Diagnostic {
  const info = CODES[code];
  if (!info) throw new Error(`unknown diagnostic code ${code}`);
  const args = init.args ?? {};
  const d: Diagnostic = {
    code,
    severity: init.severity ?? info.severity,
    message: info.message(args),
    source: info.source,
    explanation: info.explanation,
    link: info.link,
  };
  if (info.original) d.original = info.original(args);
  if (init.range) d.range = init.range;
  if (init.documentIndex !== undefined) d.documentIndex = init.documentIndex;
  if (init.path) d.path = init.path;
  if (init.resource) d.resource = init.resource;
  if (code.startsWith('IST')) d.istioCode = code;
  if (init.istioCode) d.istioCode = init.istioCode;
  return d;
}

/** Lesson to link for a resource kind (schema diagnostics point to the lesson of the kind). */
export function lessonForKind(kind: string | undefined): string | undefined {
  switch (kind) {
    case 'Gateway':
      return L.gateway;
    case 'VirtualService':
      return L.vs;
    case 'DestinationRule':
      return L.dr;
    case 'ServiceEntry':
      return L.se;
    case 'Deployment':
    case 'Service':
    case 'Pod':
      return L.a2b;
    default:
      return undefined;
  }
}
