{{ config(materialized='audited_table', post_hook=[]) }}

select
    months.month_start,
    coalesce(sum(orders.amount), 0) as revenue
from {{ ref('shop_utils', 'utils_months') }} as months
left join {{ ref('orders') }} as orders
    on date_trunc('month', orders.order_date) = months.month_start
group by 1
order by months.month_start
