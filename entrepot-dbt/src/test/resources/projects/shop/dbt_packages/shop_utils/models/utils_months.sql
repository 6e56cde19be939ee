{{ shop_utils.month_spine(var('start_date', '2024-01-01'), 3) }}
