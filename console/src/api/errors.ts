/**
 * What the console tells a person when a request fails, in Chinese: one sentence per error code of
 * the contract, the failing fields named by their labels. Pure (no DOM), so it is unit-tested.
 */

export interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ path?: string; message?: string }> };
}

const CODE_MESSAGES: Record<string, string> = {
  unauthenticated: '登录已失效，请重新登录。',
  forbidden: '无权查看或办理：该案件或功能不属于您的单位。',
  not_found: '未找到该记录，可能编号有误或已被删除。',
  invalid_transition: '案件当前状态不允许此操作，请刷新后查看最新状态。',
  conflict: '案件刚被他人更新，请刷新后重试。',
  validation_failed: '填写内容有误，请检查后重试。',
  invalid_json: '提交内容格式有误。',
  invalid_cursor: '翻页信息已失效，请从第一页重新查询。',
  payload_too_large: '提交内容过大。',
  case_too_large: '案件记录已达上限，无法继续添加内容，请联系大队。',
  method_not_allowed: '服务器不支持此操作。',
  unsupported_media_type: '提交格式不受支持。',
  too_late: '已超过登记时限（巡查结束后第二个工作日 24 时前）。',
  zero_report_mismatch:
    '“零报告”选择与本月实际情况不符：本月有新案件的不能报零报告，没有新案件的必须报零报告。',
  period_open: '本月尚未结束，月底后才能报送。',
  already_submitted: '该报告已报送，不能重复报送。',
  throttled: '请求过于频繁，请稍后重试。',
  unavailable: '服务暂时不可用，请稍后重试。',
  internal: '服务器内部错误，请稍后重试。',
};

/** Field names of the forms, for `details[].path`. */
const FIELD_NAMES: Record<string, string> = {
  note: '备注',
  outcome: '办结情况',
  reply: '答复内容',
  resolution: '解决情况',
  finding: '核查结论',
  result: '制止结果',
  area: '属地',
  reason: '理由',
  legalBasis: '法律依据',
  dueAt: '延期至',
  tipId: '举报',
  intoCaseId: '并入案件',
  kind: '巡查类型',
  startedAt: '开始时间',
  endedAt: '结束时间',
  officers: '巡查人员',
  route: '巡查路线',
  places: '巡查地点',
  focus: '巡查重点',
  findings: '发现问题',
  description: '问题描述',
  address: '地址',
  violationType: '违法类型',
  party: '当事人',
  measures: '处置措施',
  photos: '照片',
  analysis: '分析',
  zeroReport: '零报告',
  month: '月份',
  period: '期间',
  quarter: '季度',
  year: '年度',
  bureau: '分局',
};

function fieldName(path: string): string {
  const parts = path.split('.').filter((part) => !/^\d+$/.test(part));
  const named = parts.map((part) => FIELD_NAMES[part]).filter(Boolean);
  return named.length > 0 ? named.join('·') : '某项内容';
}

/** The Chinese sentence for a failed request; `feature` names a function whose API may not exist yet. */
export function errorMessage(status: number, body: ErrorBody | undefined, feature?: string): string {
  const code = body?.error?.code;
  if (status === 404 && feature && (code === undefined || code === 'not_found'))
    return `“${feature}”的服务接口尚未开通（服务器返回 404），该功能将在后续版本上线。`;
  if (code === 'validation_failed' && body?.error?.details?.length) {
    const fields = [...new Set(body.error.details.map((detail) => fieldName(detail.path ?? '')))];
    return `填写内容有误，请检查：${fields.join('、')}。`;
  }
  if (code && CODE_MESSAGES[code]) return CODE_MESSAGES[code];
  if (status === 401) return CODE_MESSAGES.unauthenticated!;
  if (status === 403) return CODE_MESSAGES.forbidden!;
  if (status === 404) return CODE_MESSAGES.not_found!;
  if (status >= 500) return CODE_MESSAGES.unavailable!;
  return `请求失败（状态码 ${status}）。`;
}

export const NETWORK_ERROR_MESSAGE = '无法连接服务器，请检查网络后重试。';
