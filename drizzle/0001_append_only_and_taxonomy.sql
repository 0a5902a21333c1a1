-- Records that are history must stay history: the database itself refuses to rewrite them.
CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER fund_ledger_entries_append_only BEFORE UPDATE OR DELETE ON fund_ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER appeal_transitions_append_only BEFORE UPDATE OR DELETE ON appeal_transitions FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER pledge_status_changes_append_only BEFORE UPDATE OR DELETE ON pledge_status_changes FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER rating_history_append_only BEFORE UPDATE OR DELETE ON rating_history FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
--> statement-breakpoint
-- The appeal taxonomy of the 12315 statistics: group → category → sub-category.
INSERT INTO appeal_categories (code, parent_code, "group", name_zh, name_en) VALUES
  ('GOODS', NULL, 'GOODS', '商品类', 'Goods'),
  ('SERVICES', NULL, 'SERVICES', '服务类', 'Services'),
  ('GOODS.FOOD', 'GOODS', 'GOODS', '食品', 'Food'),
  ('GOODS.VEHICLES', 'GOODS', 'GOODS', '交通工具', 'Vehicles'),
  ('GOODS.CLOTHING', 'GOODS', 'GOODS', '服装鞋帽', 'Clothing, shoes and hats'),
  ('GOODS.HOME_APPLIANCES', 'GOODS', 'GOODS', '家用电子电器', 'Home appliances'),
  ('GOODS.DAILY_GOODS', 'GOODS', 'GOODS', '日用商品', 'Daily goods'),
  ('GOODS.COMMUNICATIONS', 'GOODS', 'GOODS', '通讯产品', 'Communication products'),
  ('GOODS.FURNITURE_BUILDING', 'GOODS', 'GOODS', '家居用品及建材', 'Furniture and building materials'),
  ('GOODS.MEDICAL', 'GOODS', 'GOODS', '医药及医疗用品', 'Medicine and medical supplies'),
  ('GOODS.COSMETICS_JEWELRY', 'GOODS', 'GOODS', '化妆品及首饰', 'Cosmetics and jewellery'),
  ('GOODS.AGRICULTURAL', 'GOODS', 'GOODS', '农用生产资料', 'Agricultural inputs'),
  ('GOODS.OTHER', 'GOODS', 'GOODS', '其他商品', 'Other goods'),
  ('SERVICES.SALES', 'SERVICES', 'SERVICES', '销售服务', 'Sales services'),
  ('SERVICES.SALES.PREPAID', 'SERVICES.SALES', 'SERVICES', '预付式消费', 'Prepaid consumption'),
  ('SERVICES.SALES.OTHER', 'SERVICES.SALES', 'SERVICES', '其他销售服务', 'Other sales services'),
  ('SERVICES.INTERNET', 'SERVICES', 'SERVICES', '互联网信息服务', 'Internet information services'),
  ('SERVICES.CATERING_LODGING', 'SERVICES', 'SERVICES', '餐饮和住宿服务', 'Catering and lodging'),
  ('SERVICES.LIFE', 'SERVICES', 'SERVICES', '生活社会服务', 'Everyday social services'),
  ('SERVICES.EDUCATION_TRAINING', 'SERVICES', 'SERVICES', '教育培训服务', 'Education and training'),
  ('SERVICES.CULTURE_SPORTS', 'SERVICES', 'SERVICES', '文化娱乐体育服务', 'Culture, entertainment and fitness'),
  ('SERVICES.TOURISM', 'SERVICES', 'SERVICES', '旅游服务', 'Tourism'),
  ('SERVICES.PROPERTY', 'SERVICES', 'SERVICES', '房屋装修及物业服务', 'Home renovation and property management'),
  ('SERVICES.TELECOM', 'SERVICES', 'SERVICES', '电信服务', 'Telecommunications'),
  ('SERVICES.AFTER_SALES', 'SERVICES', 'SERVICES', '售后服务', 'After-sales service and repair'),
  ('SERVICES.FINANCE', 'SERVICES', 'SERVICES', '金融服务', 'Financial services'),
  ('SERVICES.POSTAL', 'SERVICES', 'SERVICES', '邮政业服务', 'Postal and delivery services'),
  ('SERVICES.OTHER', 'SERVICES', 'SERVICES', '其他服务', 'Other services');
