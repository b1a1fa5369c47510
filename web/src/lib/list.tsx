import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, type ColProps, Empty, Form, Row, Space, Table, type TableProps } from 'antd';
import { type ReactNode, useCallback } from 'react';
import { type SetURLSearchParams, useSearchParams } from 'react-router-dom';
import { appStrings } from '../app/strings';
import type { Paged } from './api';
import { useIsMobile } from './hooks';
import { errorText } from './notify';

/*
 * The shared "list page" pattern: a search form card over a paged table card, with the filter and the
 * paging kept in the URL (`?page=&pageSize=&<filter>=`) so that a list can be bookmarked, shared and
 * survives reloads and the back button.
 */

const t = appStrings.list;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE_OPTIONS = [10, 20, 50, 100];

export interface ListParams<F> {
  page: number;
  pageSize: number;
  /** The filter as read from the URL by the page's `readFilter`. */
  filter: F;
  searchParams: URLSearchParams;
  setSearchParams: SetURLSearchParams;
  /** Replaces the filter (non-blank string values, trimmed), keeps the page size and goes back to page 1. */
  applyFilter: (values: object) => void;
  /** Moves to another page; a new page size starts again at page 1. */
  changePage: (page: number, pageSize: number) => void;
}

/** Reads and writes `page`, `pageSize` and the filter of a list page in the URL search params. */
export function useListParams<F>(readFilter: (sp: URLSearchParams) => F): ListParams<F> {
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(sp.get('pageSize')) || DEFAULT_PAGE_SIZE));

  const applyFilter = useCallback(
    (values: object) => {
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) {
        const s = typeof v === 'string' ? v.trim() : v == null ? '' : String(v);
        if (s) next.set(k, s);
      }
      next.set('pageSize', String(pageSize));
      setSp(next);
    },
    [pageSize, setSp],
  );

  const changePage = useCallback(
    (p: number, ps: number) => {
      const next = new URLSearchParams(sp);
      next.set('page', String(ps !== pageSize ? 1 : p));
      next.set('pageSize', String(ps));
      setSp(next);
    },
    [sp, pageSize, setSp],
  );

  return { page, pageSize, filter: readFilter(sp), searchParams: sp, setSearchParams: setSp, applyFilter, changePage };
}

export interface SearchField<V> {
  name: keyof V & string;
  label: ReactNode;
  /** Responsive width of the field; default full width on phones, half on small tablets, a quarter on desktops. */
  col?: ColProps;
  children: ReactNode;
}

interface SearchCardProps<V> {
  fields: SearchField<V>[];
  initialValues?: Partial<V>;
  onSearch: (values: V) => void;
  /** Width of the 查询/重置 column. */
  actionsCol?: ColProps;
  submitTestId?: string;
  /** URL of the list's Excel export with the current filter (GET, same session): shows 导出Excel */
  exportHref?: string;
}

/** The search form of a list page: fields in a responsive row, then 查询 and 重置 (clears every field and searches). */
export function SearchCard<V extends object>({
  fields,
  initialValues,
  onSearch,
  actionsCol,
  submitTestId,
  exportHref,
}: SearchCardProps<V>) {
  const mobile = useIsMobile();
  const [form] = Form.useForm<V>();
  const reset = () => {
    const cleared = Object.fromEntries(fields.map((f) => [f.name, undefined]));
    form.setFieldsValue(cleared as Parameters<typeof form.setFieldsValue>[0]);
    onSearch({} as V);
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Form<V> form={form} className="dl-search-form" layout="vertical" initialValues={initialValues} onFinish={onSearch}>
        <Row gutter={12}>
          {fields.map((f) => (
            <Col key={f.name} {...(f.col ?? { xs: 24, sm: 12, lg: 6 })}>
              <Form.Item name={f.name as never} label={f.label}>
                {f.children}
              </Form.Item>
            </Col>
          ))}
          <Col {...(actionsCol ?? { xs: 24, lg: 6 })}>
            <Form.Item label={mobile ? undefined : ' '}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid={submitTestId}>
                  {t.search}
                </Button>
                <Button icon={<ReloadOutlined />} onClick={reset}>
                  {t.reset}
                </Button>
                {exportHref ? (
                  <Button icon={<DownloadOutlined />} href={exportHref} data-testid="list-export">
                    {t.export}
                  </Button>
                ) : null}
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}

type OwnTableProps = 'dataSource' | 'loading' | 'pagination' | 'size' | 'scroll' | 'locale';

interface PagedTableProps<T> extends Omit<TableProps<T>, OwnTableProps> {
  /** The list query (a TanStack Query result over a `Paged<T>`). */
  query: { data?: Paged<T>; isFetching: boolean; isError: boolean; error: unknown };
  params: Pick<ListParams<unknown>, 'page' | 'pageSize' | 'changePage'>;
  emptyText: ReactNode;
  totalText: (total: number) => ReactNode;
  pageSizeOptions?: number[];
}

/** The result card of a list page: error alert, table (compact on phones, scrolls sideways) and URL-bound paging. */
export function PagedTable<T extends object>({
  query,
  params,
  emptyText,
  totalText,
  pageSizeOptions = DEFAULT_PAGE_SIZE_OPTIONS,
  ...rest
}: PagedTableProps<T>) {
  const mobile = useIsMobile();
  const { data, isFetching, isError, error } = query;
  return (
    <Card size="small">
      {isError ? <Alert type="error" showIcon message={errorText(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<T>
        {...rest}
        size={mobile ? 'small' : 'middle'}
        dataSource={data?.items ?? []}
        loading={isFetching}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
        pagination={{
          current: params.page,
          pageSize: params.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions,
          showTotal: (n) => totalText(n),
          size: mobile ? 'small' : undefined,
          onChange: params.changePage,
        }}
      />
    </Card>
  );
}
